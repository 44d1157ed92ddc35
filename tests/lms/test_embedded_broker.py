"""The embedded broker hands a worker whole messages only, however closely it polls."""

import threading

from django.conf import settings
from kombu import Connection

from lms.broker import Transport


def _connection(folder):
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.001,
    }
    return Connection(transport=Transport, transport_options=options)


def test_the_embedded_default_uses_the_atomic_transport():
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        assert settings.CELERY_BROKER_TRANSPORT == "lms.broker:Transport"


def test_a_reader_polling_while_messages_are_written_never_sees_half_a_message(tmp_path):
    sent = 400
    received: list[dict] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read():
        with _connection(tmp_path) as conn:
            queue = conn.SimpleQueue("race")
            try:
                while len(received) < sent:
                    try:
                        message = queue.get(timeout=5)
                    except queue.Empty:
                        break
                    received.append(message.payload)
                    message.ack()
            except BaseException as error:  # reported by the assertion below
                errors.append(error)
            finally:
                queue.close()
                done.set()

    with _connection(tmp_path) as conn:
        conn.SimpleQueue("race").close()  # declare it before the reader polls
        reader = threading.Thread(target=read)
        reader.start()
        queue = conn.SimpleQueue("race")
        for number in range(sent):
            queue.put({"number": number, "text": "x" * 2000})
        queue.close()
    done.wait(60)
    reader.join(5)

    assert errors == []
    assert sorted(item["number"] for item in received) == list(range(sent))
    assert not list(tmp_path.glob(".*.part"))

"""How many messages wait on the broker's ``default`` queue, read from the broker itself:
``LLEN`` of the queue's key on Redis, the message files in its folder for the filesystem
broker (kombu names them ``<time>_<uuid>.<queue>.msg``)."""

import contextlib
import threading
from pathlib import Path

from django.conf import settings


def waiting(queue: str = "default") -> int:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url)
        try:
            return int(client.llen(queue))
        finally:
            client.close()
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return sum(1 for _ in folder.glob(f"*.{queue}.msg"))
    raise NotImplementedError(f"Cannot count the messages of {url}")


class Sampler:
    """Reads the queue's length every ``interval`` seconds in a thread; ``peak`` is the
    longest it saw."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            if not self._paused.is_set():
                self.samples.append(waiting())
            self._stop.wait(self.interval)

    @contextlib.contextmanager
    def paused(self):
        """Not sampling, e.g. while a worker's readiness ping (not ours to cap) is queued."""
        self._paused.set()
        try:
            yield
        finally:
            self._paused.clear()

    @property
    def peak(self) -> int:
        return max(self.samples, default=0)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

"""The embedded broker: kombu's filesystem transport, with each message written atomically.

kombu's filesystem channel creates the message file under its final name and then writes
into it, so a worker polling the folder can take the file while it is still empty and stop
on a ``JSONDecodeError`` (kombu issue #1551). Here a message is written to a hidden file in
the same folder and renamed into place: a reader sees a whole message or none. Selected by
``CELERY_BROKER_TRANSPORT`` whenever the broker URL is ``filesystem://``.
"""

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot keeps the half-written file out of every queue's listing.
        staging = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(staging, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(staging, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(staging)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel

"""At most one Celery beat: the scheduler takes a lock before it schedules anything.

``CELERY_BEAT_SCHEDULER`` names :class:`SingleBeatScheduler`. On start it takes

- an exclusive ``fcntl`` lock on ``ATTUNE_BEAT_LOCK_FILE`` (in ``ATTUNE_VAR_DIR``): the kernel
  drops it when the process dies, however it dies, so a killed beat never blocks the next;
- when ``ATTUNE_BEAT_LOCK_URL`` names Redis (by default the cache's or the broker's Redis),
  a Redis lock that expires after ``ATTUNE_BEAT_LOCK_SECONDS`` and that the running beat
  renews on every tick, so beats on different hosts also exclude each other. A beat that
  lost its Redis lock (it stalled longer than the lock lives) stops rather than run twice.

A second beat refuses to start: it logs why and exits with status 1.
"""

import contextlib
import fcntl
import logging
import os
import socket
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)


class BeatAlreadyRunning(SystemExit):
    """Raised (exit status 1, after logging why) when another scheduler holds the lock."""

    def __init__(self, message: str):
        super().__init__(1)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _holder() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}"


class FileLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.handle = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise BeatAlreadyRunning(
                f"Celery beat is already running ({holder}; lock file {self.path}). "
                "Only one scheduler may run, or every periodic task would run twice."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(_holder())
        handle.flush()
        self.handle = handle

    def renew(self) -> None:
        """Nothing to do: the kernel holds the lock for as long as the process lives."""

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing drops the flock
            self.handle = None


class RedisLock:
    def __init__(self, url: str, name: str, ttl: float):
        import redis

        self.url, self.name, self.ttl = url, name, ttl
        self.client = redis.Redis.from_url(url)
        self.lock = self.client.lock(name, timeout=ttl, blocking=False)

    def acquire(self) -> None:
        if not self.lock.acquire(token=_holder().encode()):
            holder = self.client.get(self.name)
            holder = holder.decode() if holder else "another process"
            raise BeatAlreadyRunning(
                f"Celery beat is already running ({holder}; Redis lock {self.name!r}, "
                f"expires {self.ttl:g} s after that beat's last tick). Only one scheduler "
                "may run, or every periodic task would run twice."
            )

    def renew(self) -> None:
        from redis.exceptions import LockError

        try:
            self.lock.reacquire()
        except LockError:
            message = (
                f"Celery beat lost its Redis lock {self.name!r} (it did not tick for "
                f"{self.ttl:g} s); stopping so that only one scheduler runs."
            )
            logger.error("%s", message)
            raise BeatAlreadyRunning(message) from None

    def release(self) -> None:
        from redis.exceptions import LockError

        with contextlib.suppress(LockError):
            self.lock.release()


def beat_locks() -> list:
    locks = [FileLock(settings.ATTUNE_BEAT_LOCK_FILE)]
    if settings.ATTUNE_BEAT_LOCK_URL:
        locks.append(
            RedisLock(
                settings.ATTUNE_BEAT_LOCK_URL,
                settings.ATTUNE_BEAT_LOCK_NAME,
                settings.ATTUNE_BEAT_LOCK_SECONDS,
            )
        )
    return locks


class SingleBeatScheduler(PersistentScheduler):
    """The file-backed schedule of ``celery beat``, run by one process at a time."""

    def __init__(self, *args, lazy=False, **kwargs):
        self._locks = []
        # Lazy instances only describe the schedule (beat's start-up banner): no lock.
        for lock in [] if lazy else beat_locks():
            try:
                lock.acquire()
            except BeatAlreadyRunning as refused:
                logger.error("%s", refused.message)
                self._release()
                raise
            self._locks.append(lock)
        super().__init__(*args, lazy=lazy, **kwargs)
        # Tick (and renew the Redis lock) well within its lifetime.
        self.max_interval = min(self.max_interval, settings.ATTUNE_BEAT_LOCK_SECONDS / 3)

    def tick(self, *args, **kwargs):
        for lock in self._locks:
            lock.renew()
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            self._release()

    def _release(self):
        while self._locks:
            self._locks.pop().release()

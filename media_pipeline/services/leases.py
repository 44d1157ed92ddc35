"""Leases: how one worker at a time holds a recording, and the one way it changes the
recording's status.

A lease is a token and an expiry on the recording's row, taken with a conditional UPDATE and
renewed while the worker works. A worker that dies lets its lease run out; the next worker
then takes the recording over.
"""

import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import DurationField, Q, Value
from django.db.models.functions import Now
from django.utils import timezone

from ..conf import config
from ..ffmpeg import Progress
from ..models import Recording


class RecordingBusy(Exception):
    """Another worker holds the recording; try again when its lease may have run out."""

    def __init__(self, retry_in: float):
        super().__init__(f"recording is held by another worker for {retry_in:.0f} s")
        self.retry_in = max(0.0, retry_in)


class LeaseLost(Exception):
    """This worker's lease ran out and another worker took the recording over."""


@dataclass(frozen=True)
class Lease:
    recording_id: int
    token: str


def lease_expiry():
    """When a lease taken or renewed now runs out (recordings' and caption jobs' alike).
    The database's clock, not this worker's: workers on several hosts agree on it."""
    return Now() + Value(timedelta(seconds=config().lease_seconds), DurationField())


def acquire_lease(*, recording_id: int) -> Lease:
    """Take the recording for this worker, or raise :class:`RecordingBusy`."""
    token = uuid.uuid4().hex
    free = Recording.objects.filter(pk=recording_id).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=Now())
    )
    if free.update(lease_token=token, lease_expires_at=lease_expiry()):
        return Lease(recording_id, token)
    held_until = (
        Recording.objects.filter(pk=recording_id).values_list("lease_expires_at", flat=True).get()
    )
    retry_in = (held_until - timezone.now()).total_seconds() if held_until else 0
    raise RecordingBusy(retry_in)


def renew_lease(lease: Lease, **fields) -> None:
    """Extend the lease (saving ``fields`` with it); raise :class:`LeaseLost` if it is gone."""
    held = Recording.objects.filter(pk=lease.recording_id, lease_token=lease.token)
    if not held.update(lease_expires_at=lease_expiry(), **fields):
        raise LeaseLost(f"lost the lease on recording {lease.recording_id}")


def release_lease(lease: Lease) -> None:
    Recording.objects.filter(pk=lease.recording_id, lease_token=lease.token).update(
        lease_token="", lease_expires_at=None
    )


@contextmanager
def holding(recording_id: int):
    """The recording's lease for the duration of the block, released however it ends."""
    lease = acquire_lease(recording_id=recording_id)
    try:
        yield lease
    finally:
        release_lease(lease)


def change_status(lease: Lease, *, source: tuple[str, ...], target: str, **fields) -> None:
    """The one way a recording changes status: only from ``source``, only by the holder."""
    moved = Recording.objects.filter(
        pk=lease.recording_id, lease_token=lease.token, status__in=source
    ).update(status=target, updated_at=timezone.now(), **fields)
    if not moved:
        raise LeaseLost(f"recording {lease.recording_id} is no longer ours to move to {target}")


class LeaseKeeper:
    """Keeps the lease while a long step runs. The runner and uploader call it about once a
    second; every ``interval`` seconds it renews the lease and saves progress (so the page
    shows it and a dead worker is noticed)."""

    def __init__(self, lease: Lease, *, interval: float, save_progress: bool):
        self.lease = lease
        self.interval = interval
        self.save_progress = save_progress
        self.percent: int | None = None
        self.last = time.monotonic()

    def __call__(self, progress: Progress | None = None) -> None:
        if progress is not None:
            self.percent = min(99, int(progress.percent))
        if time.monotonic() - self.last >= self.interval:
            self.renew()

    def renew(self) -> None:
        self.last = time.monotonic()
        fields = {"progress": self.percent} if self.save_progress and self.percent else {}
        renew_lease(self.lease, **fields)

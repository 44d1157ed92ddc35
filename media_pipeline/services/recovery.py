"""Recovery: finding the unfinished recordings (and automatic caption jobs) whose worker died
or whose message was lost, so their next step can be queued again, and removing the files
dead attempts left behind."""

import logging
from collections.abc import Iterator
from datetime import timedelta

from django.db.models import DurationField, Q, Value
from django.db.models.functions import Now
from django.utils import timezone

from ..conf import config
from ..models import Recording
from ..selectors import attempts_with_leftover_files, unfinished_recordings
from . import auto_captions
from .attempts import remove_attempt_files
from .steps import StepToQueue, next_step

logger = logging.getLogger(__name__)


def resume_unfinished() -> list[StepToQueue]:
    """Every unfinished recording's next step (to queue when a worker starts: one may have
    died holding it), timed for when its lease runs out, after removing leftover files. Safe
    to run any time: a recording another worker still holds just waits."""
    for attempt in attempts_with_leftover_files():
        remove_attempt_files(attempt)
    now = timezone.now()
    steps = []
    for recording_id, status, expires in unfinished_recordings().values_list(
        "pk", "status", "lease_expires_at"
    ):
        wait = (expires - now).total_seconds() + 1 if expires and expires > now else 0
        steps.append(StepToQueue(recording_id=recording_id, step=next_step(status), countdown=wait))
    return steps + auto_captions.unfinished_steps()


def claim_abandoned_caption_jobs() -> list[StepToQueue]:
    """Automatic caption jobs whose worker vanished, claimed for the periodic sweep."""
    return auto_captions.claim_abandoned_jobs()


def claim_stuck_recordings() -> Iterator[StepToQueue]:
    """Claim the unfinished recordings nobody is working on (the periodic sweep):

    - those whose worker vanished: its lease ran out without being renewed;
    - those no worker has touched for ``stuck_after_seconds`` while holding no lease: their
      message was lost (a broker that restarted empty, say).

    Each is claimed by a conditional UPDATE (clearing the dead lease and touching
    ``updated_at``), so two sweeps never queue it twice, and one still waiting is queued
    again only after another ``stuck_after_seconds``. A worker that took the recording in
    the meantime is left alone.

    Yields each claimed recording's next step as soon as it is claimed; the caller queues it
    before the next one is claimed."""
    stale_before = Now() - Value(timedelta(seconds=config().stuck_after_seconds), DurationField())
    stuck = Q(lease_expires_at__lt=Now()) | Q(
        lease_expires_at__isnull=True, updated_at__lt=stale_before
    )
    for recording_id, status, token in (
        unfinished_recordings().filter(stuck).values_list("pk", "status", "lease_token")
    ):
        claimed = Recording.objects.filter(
            stuck, pk=recording_id, status=status, lease_token=token
        ).update(lease_token="", lease_expires_at=None, updated_at=timezone.now())
        if not claimed:
            continue
        yield StepToQueue(recording_id=recording_id, step=next_step(status))
        logger.warning(
            "Re-queued stuck recording %s (%s): %s",
            recording_id,
            status,
            "its worker stopped renewing its lease" if token else "no worker has taken it",
        )

"""Recordings as people handle them: create one from an upload, replace its file, retry a
failure, delete it with every stored file, or end it as failed.

Creating, replacing and retrying leave the recording waiting for a worker; the caller queues
that step once committed (see :mod:`media_pipeline.services.steps`).
"""

import logging
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import storage
from ..conf import config
from ..models import Recording, RecordingStatus
from ..selectors import UNFINISHED
from .steps import Step, StepToQueue

logger = logging.getLogger(__name__)

FINISHED = (RecordingStatus.READY, RecordingStatus.REJECTED, RecordingStatus.FAILED)


class ActionRefused(Exception):
    """What the person asked for cannot be done now; the message says why."""


def create_recording(*, owner, title: str, source: File, filename: str = "") -> Recording:
    """Store an upload as a new recording, waiting for its check (the caller queues the
    probe once committed)."""
    filename = Path(filename or source.name or "").name
    recording = Recording(owner=owner, title=title.strip(), original_filename=filename[:255])
    recording.source.save(filename, source, save=False)
    stored = recording.source.name
    try:
        with transaction.atomic():
            recording.source_size = recording.source.size
            recording.save()
    except BaseException:
        storage.pipeline_storage().delete(stored)
        raise
    return recording


def create_uploaded_recording(
    *, key, owner, title: str, stored_name: str, filename: str, size: int
) -> Recording:
    """A recording for a file an upload already assembled in storage (no copy), waiting for
    its check."""
    recording = Recording(
        key=key,
        owner=owner,
        title=title.strip(),
        original_filename=Path(filename).name[:255],
        source_size=size,
    )
    recording.source.name = stored_name
    recording.save()
    return recording


def replace_source(*, recording_id: int, stored_name: str, filename: str, size: int) -> Recording:
    """Point a finished recording at a new upload, waiting to be checked again. Viewers keep
    the published streams until the new ones are published; the old source is removed once
    committed."""
    recording = Recording.objects.get(pk=recording_id)
    old_source = recording.source.name
    moved = Recording.objects.filter(pk=recording_id, status__in=FINISHED).update(
        status=RecordingStatus.UPLOADED,
        source=stored_name,
        original_filename=Path(filename).name[:255],
        source_size=size,
        error="",
        progress=0,
        attempts=0,
        infrastructure_retries=0,
        updated_at=timezone.now(),
    )
    if not moved:
        raise ActionRefused(
            _("The recording is being processed; replace its file when processing has finished.")
        )
    if old_source and old_source != stored_name:
        transaction.on_commit(lambda: storage.pipeline_storage().delete(old_source))
    recording.refresh_from_db()
    return recording


def retry_recording(*, recording_id: int) -> StepToQueue:
    """Process a failed recording again from the start, with a fresh attempt count. Returns
    the step to queue once committed."""
    recording = Recording.objects.get(pk=recording_id)
    # A recording that failed after its probe goes straight back to transcoding.
    target = RecordingStatus.QUEUED if recording.probe else RecordingStatus.UPLOADED
    moved = Recording.objects.filter(pk=recording_id, status=RecordingStatus.FAILED).update(
        status=target,
        error="",
        attempts=0,
        infrastructure_retries=0,
        progress=0,
        updated_at=timezone.now(),
    )
    if not moved:
        raise ActionRefused(_("Only a recording that failed can be retried."))
    step = Step.TRANSCODE if target == RecordingStatus.QUEUED else Step.PROBE
    return StepToQueue(recording_id=recording_id, step=step)


def fail_recording(*, recording_id: int, reason: str) -> None:
    """End an unfinished recording as failed (after retries ran out)."""
    Recording.objects.filter(pk=recording_id, status__in=UNFINISHED).update(
        status=RecordingStatus.FAILED, error=reason, updated_at=timezone.now()
    )
    logger.error("Recording %s failed: %s", recording_id, reason)


def delete_recording(*, recording_id: int) -> int:
    """Delete the recording, its attempts, renditions, captions and uploads, then every
    stored file under its prefix (source, every attempt's outputs, captions). A worker still
    processing it loses its lease and removes what it was writing. Returns how many files
    were removed."""
    recording = Recording.objects.get(pk=recording_id)
    prefix = recording.storage_prefix
    with transaction.atomic():
        recording.delete()
    removed = storage.delete_tree(prefix, workers=config().upload_workers)
    logger.info("Deleted recording %s and %s stored files", recording_id, removed)
    return removed

"""Transcode attempts: start one, publish it (switching the recording to its files in one
transaction), end it without publishing, abandon those of a worker that died, and remove an
attempt's stored files."""

import logging

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from .. import encoding, storage
from ..conf import config
from ..models import (
    AttemptKind,
    AttemptStatus,
    Recording,
    RecordingStatus,
    Rendition,
    RenditionKind,
    TranscodeAttempt,
)
from ..runner import ProcessFailed
from ..selectors import attempts_with_leftover_files
from . import faults
from .faults import Fault
from .leases import Lease, LeaseLost, change_status, renew_lease
from .steps import remove_work_folders

logger = logging.getLogger(__name__)


def remove_attempt_files(attempt: TranscodeAttempt) -> None:
    try:
        storage.delete_tree(attempt.output_prefix, workers=config().upload_workers)
    except Exception:
        # The files stay listed as leftovers; the next sweep removes them.
        logger.exception("Could not remove the files of %s", attempt)
        return
    TranscodeAttempt.objects.filter(pk=attempt.pk).update(files_removed=True)


def clean_up_after_dead_workers(recording: Recording, *, fault: Fault | None = None) -> int:
    """Called with the lease held: any attempt still marked running belongs to a worker
    that died (or that lost the database: ``fault`` says so when the task knows). Mark it
    abandoned, an infrastructure fault counted against that ceiling, not the content
    budget, and remove its files and its work folder on this host. Returns how many."""
    fault = fault or faults.worker_lost()
    dead = list(recording.transcode_attempts.filter(status=AttemptStatus.RUNNING))
    for attempt in dead:
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.ABANDONED,
            finished_at=timezone.now(),
            cause=fault.cause,
            error=fault.message,
        )
        logger.warning("Abandoned %s: %s", attempt, fault.message)
    if dead:
        Recording.objects.filter(pk=recording.pk).update(
            infrastructure_retries=F("infrastructure_retries") + len(dead),
            error=fault.retrying(),
            updated_at=timezone.now(),
        )
        recording.refresh_from_db(fields=["infrastructure_retries", "error"])
    remove_work_folders(recording)
    for attempt in attempts_with_leftover_files().filter(recording=recording):
        remove_attempt_files(attempt)
    return len(dead)


def start_attempt(lease: Lease, recording: Recording, kind: str, worker: str) -> TranscodeAttempt:
    with transaction.atomic():
        renew_lease(lease)
        number = (recording.transcode_attempts.aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = TranscodeAttempt.objects.create(
            recording=recording,
            number=number,
            kind=kind,
            output_prefix=f"{recording.storage_prefix}/attempt-{number}",
            worker=worker[:255],
        )
        # Attempts are counted when they end, by cause (see services.faults).
        fields = {"progress": 0} if kind == AttemptKind.LADDER else {}
        change_status(
            lease,
            source=(RecordingStatus.QUEUED, RecordingStatus.TRANSCODING),
            target=RecordingStatus.TRANSCODING,
            **fields,
        )
    return attempt


def _renditions(recording, attempt, encoded: encoding.Encoded) -> list[Rendition]:
    return [
        Rendition(
            recording=recording,
            attempt=attempt,
            name=variant.name[:16],
            kind=RenditionKind.VIDEO if variant.kind == "video" else RenditionKind.AUDIO,
            width=variant.width,
            height=variant.height,
            bandwidth=variant.bandwidth,
            codecs=variant.codecs[:100],
            playlist=f"{attempt.output_prefix}/{variant.uri}",
        )
        for variant in encoded.variants
    ]


def publish_attempt(lease: Lease, attempt: TranscodeAttempt, encoded: encoding.Encoded) -> None:
    """Switch the recording to ``attempt`` in one transaction, then drop the previous one."""
    prefix = attempt.output_prefix
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=attempt.recording_id)
        if recording.lease_token != lease.token:
            raise LeaseLost(f"lost the lease on recording {recording.pk} before publishing")
        previous = recording.published_attempt
        if previous is not None:
            previous.renditions.all().delete()
            TranscodeAttempt.objects.filter(pk=previous.pk).update(status=AttemptStatus.SUPERSEDED)
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.SUCCEEDED,
            finished_at=timezone.now(),
            exit_code=encoded.returncode,
            stderr_tail=encoded.stderr_tail,
            wall_seconds=encoded.wall_seconds,
        )
        Rendition.objects.bulk_create(_renditions(recording, attempt, encoded))
        recording.published_attempt = attempt
        recording.master_playlist.name = f"{prefix}/{encoded.master_playlist}"
        recording.progressive.name = (
            f"{prefix}/{encoded.progressive}" if encoded.progressive else ""
        )
        recording.poster.name = f"{prefix}/{encoded.poster}" if encoded.poster else ""
        fields = ["published_attempt", "master_playlist", "progressive", "poster", "updated_at"]
        if attempt.kind == AttemptKind.LADDER:
            recording.status = RecordingStatus.READY
            recording.progress = 100
            recording.ready_at = timezone.now()
            recording.error = ""
            fields += ["status", "progress", "ready_at", "error"]
        recording.save(update_fields=fields)
    logger.info("Published %s", attempt)
    if previous is not None:
        remove_attempt_files(previous)


def end_attempt(attempt: TranscodeAttempt, error: BaseException) -> Fault:
    """Record why an attempt ended without publishing (the cause and a reason a person can
    read), and remove what it uploaded. Returns the fault."""
    fault = faults.classify(error)
    fields = {
        "status": AttemptStatus.FAILED,
        "finished_at": timezone.now(),
        "cause": fault.cause,
        "error": fault.message[:2000],
    }
    if isinstance(error, ProcessFailed):
        fields.update(exit_code=error.returncode, stderr_tail=error.stderr_tail)
    try:
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(**fields)
    except Exception:
        logger.exception("Could not record the end of %s", attempt)
        return fault
    remove_attempt_files(attempt)
    return fault

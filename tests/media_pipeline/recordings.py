"""Helpers for tests that drive recordings through the services."""

from django.core.files import File

from media_pipeline.models import AttemptKind, AttemptStatus, TranscodeAttempt
from media_pipeline.services.recordings import create_recording
from media_pipeline.services.steps import Step, StepToQueue
from media_pipeline.storage import list_tree
from media_pipeline.tasks import queue_on_commit


def upload(owner, path, *, title="Attachment in the first year", filename=None):
    """A new recording from ``path``, its check queued once committed (the caller's part)."""
    with open(path, "rb") as handle:
        recording = create_recording(
            owner=owner, title=title, source=File(handle), filename=filename or path.name
        )
    queue_on_commit(StepToQueue(recording_id=recording.pk, step=Step.PROBE))
    return recording


def stored_files(recording) -> list[str]:
    return sorted(list_tree(recording.storage_prefix))


def failed_attempts(recording, failures, *, worker="worker-{number}@host pid 7"):
    """Failed ladder attempts, numbered from 1, each ``(cause, error)`` of ``failures``."""
    for number, (cause, error) in enumerate(failures, start=1):
        TranscodeAttempt.objects.create(
            recording=recording,
            number=number,
            kind=AttemptKind.LADDER,
            status=AttemptStatus.FAILED,
            output_prefix=f"{recording.storage_prefix}/attempt-{number}",
            worker=worker.format(number=number),
            cause=cause,
            error=error,
        )

"""Reads for the media pipeline."""

from django.db.models import QuerySet

from .models import (
    AttemptStatus,
    Caption,
    Recording,
    RecordingStatus,
    Rendition,
    TranscodeAttempt,
    UploadSession,
    UploadStatus,
)

UNFINISHED = (
    RecordingStatus.UPLOADED,
    RecordingStatus.PROBING,
    RecordingStatus.QUEUED,
    RecordingStatus.TRANSCODING,
)


def recordings_for_owner(*, owner) -> QuerySet[Recording]:
    return Recording.objects.filter(owner=owner).select_related("published_attempt")


def published_renditions(*, recording: Recording) -> QuerySet[Rendition]:
    """What players are offered now, best picture first (audio last)."""
    return recording.renditions.all().order_by("-height", "name")


def unfinished_recordings() -> QuerySet[Recording]:
    """Recordings a worker still has to take further (after a crash, say)."""
    return Recording.objects.filter(status__in=UNFINISHED).order_by("created_at")


def attempts_with_leftover_files() -> QuerySet[TranscodeAttempt]:
    """Finished attempts that are not published but whose files were not yet removed."""
    return TranscodeAttempt.objects.filter(files_removed=False).exclude(
        status__in=(AttemptStatus.RUNNING, AttemptStatus.SUCCEEDED)
    )


def unfinished_uploads(*, user, replaces: Recording | None = None) -> QuerySet[UploadSession]:
    """The user's uploads that can still be resumed (newest first)."""
    return UploadSession.objects.filter(
        created_by=user, status=UploadStatus.UPLOADING, replaces=replaces
    ).select_related("owner")


def captions_for(*, recording: Recording) -> QuerySet[Caption]:
    return recording.captions.all().order_by("label")

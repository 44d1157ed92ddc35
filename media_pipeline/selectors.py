"""Reads for the media pipeline."""

from dataclasses import dataclass

import webvtt
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import (
    AttemptStatus,
    Caption,
    CaptionJob,
    CaptionJobStatus,
    CaptionState,
    CaptionVersion,
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
    return recording.captions.select_related("reviewed_by").order_by("label")


def caption_jobs_for(*, recording: Recording) -> QuerySet[CaptionJob]:
    return recording.caption_jobs.order_by("language")


def caption_versions(*, caption: Caption) -> QuerySet[CaptionVersion]:
    """A track's saved versions, newest first, without their WebVTT (the history lists
    them; restoring reads the one it needs)."""
    return caption.versions.select_related("created_by").defer("webvtt").order_by("-number")


def webvtt_to_cues(webvtt_text: str) -> list[dict]:
    """A track's cues as the caption editor reads them (seconds, and the cue's text)."""
    track = webvtt.from_string(webvtt_text)
    return [
        {
            "start": round(cue.start_in_seconds + cue.start_time.milliseconds / 1000, 3),
            "end": round(cue.end_in_seconds + cue.end_time.milliseconds / 1000, 3),
            "text": cue.raw_text,
        }
        for cue in track.captions
    ]


@dataclass(frozen=True)
class EditorTrack:
    cues: list[dict]
    version: int  # the newest version's number, what a save is based on (0: none yet)


def editor_track(*, caption: Caption) -> EditorTrack:
    """A track's cues as the caption editor opens them, and the version they come from."""
    latest = caption.versions.order_by("-number").only("number", "webvtt").first()
    if latest is not None:
        return EditorTrack(cues=webvtt_to_cues(latest.webvtt), version=latest.number)
    with caption.file.open("rb") as handle:
        return EditorTrack(cues=webvtt_to_cues(handle.read().decode("utf-8-sig")), version=0)


def caption_summary(*, recording: Recording) -> list[str]:
    """What the recordings list says of a recording's captions, one phrase per language:
    each track's state, then automatic captioning still under way or without a result in
    languages that have no track. Reads ``captions`` and ``caption_jobs`` as prefetched."""
    tracks = list(recording.captions.all())
    phrases = [f"{caption.label} — {caption.get_state_display()}" for caption in tracks]
    have = {caption.language for caption in tracks}
    for job in recording.caption_jobs.all():
        if job.language in have:
            continue
        if job.status in (CaptionJobStatus.QUEUED, CaptionJobStatus.RUNNING):
            phrases.append(
                _("Being captioned %(progress)s%%") % {"progress": job.progress}
                if job.status == CaptionJobStatus.RUNNING
                else job.get_status_display()
            )
        elif job.status in (CaptionJobStatus.EMPTY, CaptionJobStatus.FAILED):
            phrases.append(job.get_status_display())
    return phrases


def needs_review(*, recording: Recording) -> bool:
    """Every track is automatic: nobody has checked the captions yet."""
    states = {caption.state for caption in recording.captions.all()}
    return bool(states) and states == {CaptionState.AUTOMATIC}

"""Recordings with audio and caption tracks in a given state, for the caption gate's tests."""

from media_pipeline.models import (
    AttemptKind,
    AttemptStatus,
    CaptionJob,
    CaptionJobStatus,
    RecordingStatus,
    TranscodeAttempt,
)
from media_pipeline.services.captioning import store_caption
from tests.courses.learning import recording

SPOKEN = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:04.000\n"
    "Responsive caregiving builds a marmalade of trust.\n\n"
    "00:00:04.500 --> 00:00:07.000\n"
    "Notice the cue, then wait for the baby to lead.\n"
)


def spoken_recording(owner, title="Attachment in the first year", *, captions="automatic",
                     text=SPOKEN):  # fmt: skip
    """A processed recording with audio. ``captions``: ``automatic``, ``reviewed`` or
    ``uploaded`` (one English track in that state), ``processing`` (automatic captioning
    queued, no track yet) or ``None`` (no track)."""
    rec = recording(owner, title=title, audio=True)
    rec.published_attempt = TranscodeAttempt.objects.create(
        recording=rec,
        number=1,
        kind=AttemptKind.LADDER,
        status=AttemptStatus.SUCCEEDED,
        output_prefix=f"{rec.storage_prefix}/attempt-1",
    )
    rec.status = RecordingStatus.READY
    rec.save(update_fields=["published_attempt", "status"])
    if captions == "processing":
        CaptionJob.objects.create(recording=rec, language="en", status=CaptionJobStatus.QUEUED)
    elif captions:
        track(rec, captions, text=text)
    return rec


def track(rec, state, *, text=SPOKEN, by=None):
    return store_caption(
        recording=rec, language="en", label="English", webvtt_text=text, state=state, by=by
    )

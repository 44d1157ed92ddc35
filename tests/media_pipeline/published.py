"""A recording taken through the real pipeline (ffmpeg) and placed on a webinar page."""

from media_pipeline import services
from tests.courses.factories import training

from .recordings import upload

CAPTIONS = b"WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nServe and return.\n"


def published_recording(owner, clip, *, title="Serve and return", captions=True):
    recording = upload(owner, clip, title=title)
    services.probe_recording(recording_id=recording.pk)
    services.transcode_recording(recording_id=recording.pk)
    recording.refresh_from_db()
    if captions:
        services.add_caption(recording=recording, language="en", label="English", data=CAPTIONS)
    return recording


def webinar_showing(org, recording, *, title="Reading a baby's cues", publish=True):
    return training(
        org, title, kind="webinar", publish=publish, recording=[("recording", recording)]
    )

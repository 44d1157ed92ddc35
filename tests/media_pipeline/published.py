"""A recording taken through the real pipeline (ffmpeg) and placed on a webinar page."""

from io import StringIO
from types import SimpleNamespace
from urllib.parse import urlparse

from django.core.management import call_command

from courses.services.enrollment import enroll
from media_pipeline.services.captioning import add_caption
from media_pipeline.services.probing import probe_recording
from media_pipeline.services.transcoding import transcode_recording
from tests.courses.factories import association, training
from tests.factories import UserFactory

from .media import make_clip
from .recordings import upload

CAPTIONS = b"WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nServe and return.\n"


def published_recording(owner, clip, *, title="Serve and return", captions=True):
    recording = upload(owner, clip, title=title)
    probe_recording(recording_id=recording.pk)
    transcode_recording(recording_id=recording.pk)
    recording.refresh_from_db()
    if captions:
        add_caption(recording=recording, language="en", label="English", data=CAPTIONS)
    return recording


def webinar_showing(org, recording, *, title="Reading a baby's cues", publish=True):
    return training(
        org, title, kind="webinar", publish=publish, recording=[("recording", recording)]
    )


def enrolled_viewing(live_server, folder, *, seconds):
    """A learner enrolled in a Great Lakes webinar whose captioned recording is ready, on
    the live server's host (for browser tests of the player)."""
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    clip = make_clip(folder / "cues.mp4", seconds=seconds, size="320x180", rate=24)
    recording = published_recording(great_lakes, clip)
    webinar = webinar_showing(great_lakes, recording)
    learner = UserFactory()
    enroll(learner=learner, training=webinar)
    return SimpleNamespace(
        association=great_lakes, recording=recording, webinar=webinar, learner=learner
    )

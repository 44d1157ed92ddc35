"""A short demo webinar that can be completed end to end in a minute: a ten-second recording
made with ffmpeg and run through the media pipeline, a three-question post-test and the
evaluation of its own. `make run` loads it (`manage.py load_demo_webinar`); the end-to-end test
uses it too. Idempotent."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from wagtail.models import Locale

from courses.models import EvaluationSurvey, Quiz, WebinarPage
from courses.services.authoring import add_training, ensure_catalog
from media_pipeline.conf import config as ffmpeg_config
from media_pipeline.models import Recording, RecordingStatus
from media_pipeline.services.captioning import add_caption
from media_pipeline.services.probing import probe_recording
from media_pipeline.services.recordings import create_recording
from media_pipeline.services.transcoding import transcode_recording

CLIP_SECONDS = 10
RECORDING_TITLE = "Serve and return (demo clip)"
QUIZ_SLUG = "serve-and-return-check"
WEBINAR_SLUG = "serve-and-return-demo"
CAPTIONS = (
    b"WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nNotice what the baby is interested in.\n\n"
    b"00:00:05.000 --> 00:00:10.000\nRespond, name it, and take turns.\n"
)
QUESTIONS = [
    (
        "question",
        {
            "kind": "single",
            "prompt": "What starts a serve-and-return exchange?",
            "choices": [
                {"text": "The child's cue", "correct": True},
                {"text": "A scheduled lesson", "correct": False},
                {"text": "A screen", "correct": False},
            ],
            "feedback": "Adults notice and respond to what the child shows interest in.",
        },
    ),
    (
        "question",
        {
            "kind": "multiple",
            "prompt": "Which are steps of serve and return?",
            "choices": [
                {"text": "Name it", "correct": True},
                {"text": "Take turns", "correct": True},
                {"text": "Correct the child", "correct": False},
            ],
            "feedback": "Notice, respond, name it, take turns, practise endings and beginnings.",
        },
    ),
    (
        "question",
        {
            "kind": "true_false",
            "prompt": "Serve and return shapes the architecture of a young child's brain.",
            "choices": [{"text": "True", "correct": True}, {"text": "False", "correct": False}],
            "feedback": "",
        },
    ),
]


SURVEY_TITLE = "Serve and return: evaluation"
SURVEY_ITEMS = [
    ("likert", {"prompt": "The training met its stated learning objectives."}),
    (
        "likert",
        {
            "prompt": "I can apply what I learned in my work with infants, young children "
            "and families."
        },
    ),
    ("text", {"prompt": "What will you do differently in your practice?", "required": False}),
]


def make_clip(path: Path, *, seconds: int = CLIP_SECONDS) -> Path:
    """A small test pattern with a tone: quick to make, transcode and watch."""
    # Fixed arguments only; the demo is the one place outside the pipeline that makes media.
    subprocess.run(  # noqa: S603
        [
            ffmpeg_config().ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=24:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


def demo_recording(*, owner) -> Recording:
    """The demo clip, processed and captioned (made once)."""
    existing = Recording.objects.filter(
        owner=owner, title=RECORDING_TITLE, status=RecordingStatus.READY
    ).first()
    if existing is not None:
        return existing
    with tempfile.TemporaryDirectory() as folder:
        clip = make_clip(Path(folder) / "serve-and-return.mp4")
        with clip.open("rb") as handle:
            recording = create_recording(
                owner=owner, title=RECORDING_TITLE, source=File(handle), filename=clip.name
            )
    probe_recording(recording_id=recording.pk)
    transcode_recording(recording_id=recording.pk)
    recording.refresh_from_db()
    add_caption(recording=recording, language="en", label="English", data=CAPTIONS)
    return recording


def demo_quiz(*, owner) -> Quiz:
    # Its Spanish translation shares the identifier: the source is the default language's.
    quiz, _ = Quiz.objects.get_or_create(
        organization=owner,
        slug=QUIZ_SLUG,
        locale=Locale.get_default(),
        defaults={"title": "Serve and return: check", "questions": QUESTIONS},
    )
    return quiz


def demo_survey(*, owner) -> EvaluationSurvey:
    """The webinar's own evaluation (Great Lakes' editors can translate it, unlike the
    standard one, whose words come from the interface's catalog)."""
    survey, _ = EvaluationSurvey.objects.get_or_create(
        organization=owner,
        title=SURVEY_TITLE,
        locale=Locale.get_default(),
        defaults={"items": SURVEY_ITEMS},
    )
    return survey


def load_demo_webinar(*, organization, facilitators) -> WebinarPage | None:
    """The short webinar in ``organization``'s catalog; None when ffmpeg is missing."""
    catalog = ensure_catalog(organization=organization)
    existing = WebinarPage.objects.child_of(catalog).filter(slug=WEBINAR_SLUG).first()
    if existing is not None:
        return existing
    if shutil.which(ffmpeg_config().ffmpeg) is None:
        return None
    recording = demo_recording(owner=organization)
    demo_quiz(owner=organization)
    survey = demo_survey(owner=organization)
    with transaction.atomic():
        return add_training(
            parent=catalog,
            page=WebinarPage(
                title="Serve and return in ten seconds",
                slug=WEBINAR_SLUG,
                summary="A very short demo webinar: watch, pass a three-question post-test, "
                "evaluate it and receive a training record.",
                contact_hours="0.25",
                provider=organization,
                evaluation_survey=survey,
                recording=[("recording", recording)],
                post_test=[
                    (
                        "quiz",
                        {"quiz": QUIZ_SLUG, "label": "Post-test", "required_to_complete": True},
                    )
                ],
            ),
            area_hours={"DSS": "0.25"},
            facilitators=facilitators,
        )

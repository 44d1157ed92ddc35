"""Do the recordings a training shows have captions a person has checked? (The publish gate.)

A training's recordings are those its own page shows (a webinar's recording), those of its
live lessons, and those of the library modules they embed. A recording passes when it has a
``reviewed`` or ``uploaded`` track in some language, when probing found no audio in it, or
when a reviewer recorded an exception for this training and recording
(:class:`courses.models.CaptionException`). Everything else is a gap: only automatic
captions, captions still being made, or none at all.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch
from django.utils.translation import gettext
from wagtail.fields import StreamField

from media_pipeline.models import (
    Caption,
    CaptionJob,
    CaptionJobStatus,
    CaptionState,
    Recording,
    RecordingStatus,
)

from ..models.caption_exceptions import CaptionException
from ..models.library import LibraryModule

# The page models are read through the app registry: they ask this module when publishing.
LESSON = ("courses", "LessonPage")

PERSON_CHECKED = (CaptionState.REVIEWED, CaptionState.UPLOADED)
IN_PROGRESS = (RecordingStatus.UPLOADED, RecordingStatus.PROBING, RecordingStatus.QUEUED,
               RecordingStatus.TRANSCODING)  # fmt: skip
CAPTIONING = (CaptionJobStatus.QUEUED, CaptionJobStatus.RUNNING)
# Where pages keep their blocks: a webinar's recording, a lesson's body.
STREAMS = ("recording", "body")


class GapKind:
    AUTOMATIC = "automatic"  # only tracks no person has checked
    PROCESSING = "processing"  # the recording or its automatic captions are still being made
    NONE = "none"  # no caption track at all


@dataclass
class CaptionGap:
    """One recording of a training without person-checked captions."""

    recording: Recording
    kind: str
    exception: CaptionException | None = None
    caption: Caption | None = None  # the automatic track to review, if there is one

    @property
    def covered(self) -> bool:
        return self.exception is not None

    def advice(self) -> str:
        """What is missing and what to do, naming the recording."""
        title = self.recording.title
        if self.kind == GapKind.AUTOMATIC:
            return gettext(
                "“%(title)s” has only automatic captions: review them in the caption editor, "
                "or record an exception."
            ) % {"title": title}
        if self.kind == GapKind.PROCESSING:
            return gettext(
                "“%(title)s” is still being processed and captioned: review its captions when "
                "they are ready, upload a caption file, or record an exception."
            ) % {"title": title}
        return gettext(
            "“%(title)s” has no captions: upload a caption file, or record an exception."
        ) % {"title": title}

    def state_label(self) -> str:
        return {
            GapKind.AUTOMATIC: gettext("Automatic captions, not reviewed"),
            GapKind.PROCESSING: gettext("Still being processed"),
            GapKind.NONE: gettext("No captions"),
        }[self.kind]


def stream_ids(stream) -> tuple[list[int], list[int]]:
    """The recording ids and the library module ids a stream's blocks hold, in order."""
    recordings, modules = [], []
    if stream is None:
        return recordings, modules
    for item in stream.raw_data:
        value = item.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if item.get("type") == "recording":
            recordings.append(value)
        elif item.get("type") == "module":
            modules.append(value)
    return recordings, modules


def _with_modules(recordings: list[int], modules: list[int]) -> list[int]:
    """``recordings`` plus those shown by the live versions of ``modules``."""
    if modules:
        for module in LibraryModule.objects.filter(pk__in=modules, live=True).only("body"):
            recordings += stream_ids(module.body)[0]
    return list(dict.fromkeys(recordings))


def page_recording_ids(page) -> list[int]:
    """What ``page`` itself shows (a webinar's recording, a lesson's blocks and modules)."""
    recordings, modules = [], []
    for name in STREAMS:
        ids = stream_ids(getattr(page, name, None) if _is_stream(page, name) else None)
        recordings += ids[0]
        modules += ids[1]
    return _with_modules(recordings, modules)


def _is_stream(page, name) -> bool:
    field = next((f for f in page._meta.get_fields() if f.name == name), None)
    return isinstance(field, StreamField)


def is_training(page) -> bool:
    """Courses, webinars and live events (they carry a competency allocation)."""
    return hasattr(page, "area_hours")


def is_lesson(page) -> bool:
    return isinstance(page, apps.get_model(*LESSON))


def training_recording_ids(*, page) -> list[int]:
    """The recordings learners would see once ``page`` (a training, possibly an unsaved
    version) is published: its own, and a course's live lessons' (lessons are gated when
    they are published themselves)."""
    ids = page_recording_ids(page)
    if page.pk:
        for lesson in apps.get_model(*LESSON).objects.child_of(page).live().only("body"):
            ids += page_recording_ids(lesson)
    return list(dict.fromkeys(ids))


def training_of(page):
    """The training whose exceptions apply to ``page``: itself, or a lesson's course."""
    if is_training(page):
        return page
    if is_lesson(page) and page.path:
        parent = page.get_parent().specific
        return parent if is_training(parent) else None
    return None


def _recordings(ids) -> list[Recording]:
    rows = Recording.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("captions", queryset=Caption.objects.only("recording_id", "state")),
        Prefetch(
            "caption_jobs",
            queryset=CaptionJob.objects.filter(status__in=CAPTIONING).only("recording_id"),
            to_attr="active_caption_jobs",
        ),
    )
    by_id = {r.pk: r for r in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def needs_no_captions(recording) -> bool:
    """Probing found no audio stream: there is nothing to caption."""
    return bool(recording.probe) and not recording.audio_codec


def gap_of(recording) -> str | None:
    """Why ``recording`` (its captions and active jobs prefetched) blocks publishing, if it
    does."""
    if needs_no_captions(recording):
        return None
    states = {caption.state for caption in recording.captions.all()}
    if states & set(PERSON_CHECKED):
        return None
    if getattr(recording, "active_caption_jobs", None):
        return GapKind.PROCESSING
    if CaptionState.AUTOMATIC in states:
        return GapKind.AUTOMATIC
    if recording.status in IN_PROGRESS:
        return GapKind.PROCESSING
    return GapKind.NONE


def standing_exceptions(*, training) -> list[CaptionException]:
    if training is None or not training.pk:
        return []
    return list(
        CaptionException.objects.filter(
            training_id=training.pk, revoked_at__isnull=True
        ).select_related("granted_by", "recording")
    )


def caption_gaps(*, training, recording_ids) -> list[CaptionGap]:
    """The gaps among ``recording_ids`` for ``training``, each with this training's standing
    exception for that recording, if any."""
    if not recording_ids:
        return []
    exceptions = {e.recording_id: e for e in standing_exceptions(training=training)}
    gaps = []
    for recording in _recordings(recording_ids):
        kind = gap_of(recording)
        if kind is not None:
            automatic = [c for c in recording.captions.all() if c.state == CaptionState.AUTOMATIC]
            gaps.append(
                CaptionGap(
                    recording, kind, exceptions.get(recording.pk), next(iter(automatic), None)
                )
            )
    return gaps


def page_caption_gaps(*, page, training=None) -> list[CaptionGap]:
    """Gaps of a training or a lesson (possibly an unsaved version) about to be published;
    ``training``: the one whose exceptions count, when known (a new lesson's course)."""
    if is_training(page):
        return caption_gaps(training=page, recording_ids=training_recording_ids(page=page))
    if is_lesson(page):
        ids = page_recording_ids(page)
        if not ids:
            return []
        return caption_gaps(training=training or training_of(page), recording_ids=ids)
    return []


def caption_errors(*, page) -> list[str]:
    """What stops ``page`` going live for want of person-checked captions."""
    return [gap.advice() for gap in page_caption_gaps(page=page) if not gap.covered]


def reviewable_recording_ids(*, training) -> list[int]:
    """Recordings a reviewer may record exceptions for: those of the training's latest
    version and of the latest versions of all its lessons, published or not (a lesson is
    published on its own, often after the course)."""
    latest = training.get_latest_revision_as_object() if training.pk else training
    ids = page_recording_ids(latest)
    if training.pk:
        for lesson in apps.get_model(*LESSON).objects.child_of(training):
            ids += page_recording_ids(lesson.get_latest_revision_as_object())
    return list(dict.fromkeys(ids))


def training_caption_gaps(*, training) -> list[CaptionGap]:
    """Every gap of the training as its editors are making it (see above), with exceptions."""
    return caption_gaps(
        training=training, recording_ids=reviewable_recording_ids(training=training)
    )


def exception_history(*, training) -> list[CaptionException]:
    """Every exception recorded for the training, standing and revoked, newest first."""
    return list(
        CaptionException.objects.filter(training_id=training.pk).select_related(
            "recording", "granted_by", "revoked_by"
        )
    )


def spoken_text(*, training) -> str:
    """What is said in the recordings ``training`` shows (its own and its live lessons'),
    from every caption track, person-checked or automatic, for the search index."""
    ids = training_recording_ids(page=training)
    if not ids:
        return ""
    texts = Caption.objects.filter(recording_id__in=ids).order_by("recording_id", "language")
    return "\n".join(text for text in texts.values_list("text", flat=True) if text)

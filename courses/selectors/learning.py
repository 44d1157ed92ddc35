"""Reads about a learner's trainings: what a training contains, where a learner stands."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext

from media_pipeline.models import Recording

from ..conf import config
from ..models import (
    AttemptStatus,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    EvaluationResponse,
    LessonProgress,
    LessonStatus,
    LiveEventPage,
    Quiz,
    QuizAttempt,
    TrainingPage,
    WatchProgress,
    WebinarPage,
)
from .quizzes import canonical_only


@dataclass(frozen=True)
class QuizRef:
    slug: str
    label: str
    required: bool
    lesson_id: int | None = None


def shown_label(label: str) -> str:
    """A post-test's label as the learner reads it. The post-test is a fact every translation
    of a training keeps from its source (wagtail-localize synchronises it), label included,
    so a label that is the interface's own word ("Post-test", what editors are offered)
    reads in the learner's language; any other reads as the editor wrote it."""
    return gettext(label) if label else label


@dataclass
class TrainingContent:
    """The recordings and quizzes a training uses, and its lessons (courses)."""

    lessons: list = field(default_factory=list)
    # (lesson id or None, recording id)
    recordings: list[tuple[int | None, int]] = field(default_factory=list)
    quizzes: list[QuizRef] = field(default_factory=list)
    # The recordings already loaded, by id (to show trackers without reading them again).
    recording_objects: dict[int, Recording] = field(default_factory=dict)

    @property
    def recording_ids(self) -> list[int]:
        return list(dict.fromkeys(rid for _, rid in self.recordings))

    def recording_ids_for(self, lesson_id) -> list[int]:
        return list(dict.fromkeys(rid for lid, rid in self.recordings if lid == lesson_id))

    def required_quizzes(self) -> list[QuizRef]:
        return [q for q in self.quizzes if q.required]

    def recordings_by_id(self, ids) -> dict[int, Recording]:
        """The recordings with these ids, reading only those not loaded yet."""
        missing = [rid for rid in ids if rid not in self.recording_objects]
        if missing:
            self.recording_objects.update(Recording.objects.in_bulk(missing))
        return {rid: self.recording_objects[rid] for rid in ids if rid in self.recording_objects}


def _recording_id(value) -> int | None:
    # The stand-in chooser stores an id; the media library's chooser gives a Recording.
    value = getattr(value, "pk", value)
    return value if isinstance(value, int) else None


def _walk(stream, lesson_id, content: TrainingContent, *, pending: list[int] | None) -> None:
    """Collect what ``stream`` uses. With ``pending`` a list, recording blocks are read from
    the stored ids (collected there, checked in one query for all lessons) rather than each
    stream loading its own recordings; without, from the blocks (the page's template then
    shows the same, already loaded, values)."""
    if not stream:
        return
    for index, item in enumerate(stream.raw_data):
        if item["type"] == "recording" and pending is not None:
            rid = _recording_id(item["value"])
            if rid is not None:
                pending.append(rid)
                content.recordings.append((lesson_id, rid))
            continue
        block = stream[index]
        if block.block_type == "recording":
            rid = _recording_id(block.value)
            if rid is not None:
                content.recordings.append((lesson_id, rid))
                if isinstance(block.value, Recording):
                    content.recording_objects[rid] = block.value
        elif block.block_type == "quiz":
            content.quizzes.append(
                QuizRef(
                    slug=block.value["quiz"],
                    label=shown_label(block.value["label"]),
                    required=bool(block.value.get("required_to_complete")),
                    lesson_id=lesson_id,
                )
            )
        elif block.block_type == "module" and block.value is not None:
            _walk(block.value.body, lesson_id, content, pending=pending)


def training_content(*, training) -> TrainingContent:
    training = training.specific
    content = TrainingContent()
    if isinstance(training, WebinarPage):
        _walk(training.recording, None, content, pending=None)
        _walk(training.post_test, None, content, pending=None)
    elif isinstance(training, CoursePage):
        content.lessons = list(training.lessons())  # lessons have no subtypes to specialise
        pending: list[int] = []
        for lesson in content.lessons:
            _walk(lesson.body, lesson.pk, content, pending=pending)
        if pending:
            # One query for every lesson's recordings; an id whose recording is gone counts
            # for nothing, as its block's empty value does.
            content.recording_objects.update(Recording.objects.in_bulk(set(pending)))
            content.recordings = [
                (lid, rid) for lid, rid in content.recordings if rid in content.recording_objects
            ]
    return content


def coverage_percent(*, training) -> int:
    return training.watch_coverage_percent or config().watch_coverage_percent


def quizzes_for(*, training, slugs, passed_by=None) -> dict[str, Quiz]:
    """The quizzes a training names, from its association's or provider's quiz bank. With
    ``passed_by`` (a learner), each quiz says in ``learner_passed`` whether they passed it.
    Always the canonical post-tests (translations share their identifier): learners read a
    translation through ``selectors.quizzes.in_language``, attempts are at these."""
    owners = [o.pk for o in (training.owning_association, training.provider) if o is not None]
    quizzes = canonical_only(Quiz.objects.filter(slug__in=list(slugs), organization_id__in=owners))
    if passed_by is not None:
        passed = QuizAttempt.objects.filter(
            quiz=OuterRef("pk"), learner=passed_by, status=AttemptStatus.SUBMITTED, passed=True
        )
        quizzes = quizzes.annotate(learner_passed=Exists(passed))
    found = {}
    for quiz in quizzes:
        # The association's own quiz wins over the provider's of the same name.
        if quiz.slug not in found or quiz.organization_id == owners[0]:
            found[quiz.slug] = quiz
    return found


def watch_progress(*, learner, recording_ids) -> dict[int, WatchProgress]:
    """Recording id -> the learner's progress row (none before the first heartbeat)."""
    rows = WatchProgress.objects.filter(learner=learner, recording_id__in=recording_ids)
    return {row.recording_id: row for row in rows}


def watch_coverage(*, learner, recording_ids) -> dict[int, float]:
    """Recording id -> share watched (0..1)."""
    rows = watch_progress(learner=learner, recording_ids=recording_ids)
    return {rid: row.coverage for rid, row in rows.items()}


def lesson_statuses(*, enrollment) -> dict[int, str]:
    return dict(
        LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", "status")
    )


def lessons_done(*, enrollment, lessons, statuses: dict[int, str] | None = None) -> bool:
    if statuses is None:
        statuses = lesson_statuses(enrollment=enrollment)
    return all(statuses.get(lesson.pk) == LessonStatus.DONE for lesson in lessons)


def enrollment_for(*, learner, training) -> Enrollment | None:
    if not getattr(learner, "is_authenticated", False):
        return None
    return (
        Enrollment.objects.filter(learner=learner, training_id=training.pk)
        .exclude(status=EnrollmentStatus.CANCELLED)
        # The learner's panel links both.
        .select_related("resume_page", "record")
        .first()
    )


class LearnerTraining:
    """One learner's reads about one training, each made once however many parts of a page
    ask: the panel's checklist and its trackers share the content and the progress rows."""

    def __init__(self, *, learner, training, enrollment: Enrollment | None):
        self.learner = learner
        self.training = training.specific
        self.enrollment = enrollment

    @classmethod
    def of(cls, enrollment: Enrollment) -> "LearnerTraining":
        return cls(learner=enrollment.learner, training=enrollment.training, enrollment=enrollment)

    @cached_property
    def content(self) -> TrainingContent:
        return training_content(training=self.training)

    @cached_property
    def lesson_statuses(self) -> dict[int, str]:
        return lesson_statuses(enrollment=self.enrollment) if self.enrollment else {}

    @cached_property
    def quizzes(self) -> dict[str, Quiz]:
        """Every quiz the training names, by slug, each saying whether the learner passed it
        (``learner_passed``). Read once for the checklist and the outline."""
        slugs = {q.slug for q in self.content.quizzes}
        if not slugs:
            return {}
        learner = self.learner if getattr(self.learner, "is_authenticated", False) else None
        return quizzes_for(training=self.training, slugs=slugs, passed_by=learner)

    @cached_property
    def evaluated(self) -> bool:
        return bool(
            self.enrollment
            and EvaluationResponse.objects.filter(enrollment=self.enrollment).exists()
        )

    @cached_property
    def progress(self) -> dict[int, WatchProgress]:
        """Recording id -> progress row, for every recording the training shows."""
        ids = self.content.recording_ids
        return watch_progress(learner=self.learner, recording_ids=ids) if ids else {}


@dataclass
class LearningEntry:
    enrollment: Enrollment
    training: object
    resume_url: str
    is_event: bool


def my_learning(*, learner) -> dict:
    """The "My learning" page: in progress, completed and upcoming live events.

    A fixed number of queries whatever the number of enrollments.
    """
    now = timezone.now()
    enrollments = list(
        Enrollment.objects.filter(learner=learner, archived_at__isnull=True)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("training", "resume_page", "record")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    event_ids = set(
        LiveEventPage.objects.filter(pk__in=[e.training_id for e in enrollments]).values_list(
            "pk", flat=True
        )
    )
    events = LiveEventPage.objects.in_bulk(event_ids)
    in_progress, completed, upcoming = [], [], []
    for enrollment in enrollments:
        training = events.get(enrollment.training_id, enrollment.training)
        resume = enrollment.resume_page or training
        entry = LearningEntry(
            enrollment=enrollment,
            training=training,
            resume_url=resume.url or "",
            is_event=enrollment.training_id in event_ids,
        )
        if enrollment.status == EnrollmentStatus.COMPLETED:
            completed.append(entry)
        elif entry.is_event and (training.starts_at is None or training.starts_at > now):
            upcoming.append(entry)
        else:
            in_progress.append(entry)
    upcoming.sort(key=lambda e: e.training.starts_at or now)
    return {"in_progress": in_progress, "completed": completed, "upcoming": upcoming}


def trainings_of(*, organization):
    """Trainings an organization answers for: in its catalog, or provided by it."""
    condition = Q(provider=organization)
    if organization.site_id:
        condition |= Q(path__startswith=organization.site.root_page.path)
    return TrainingPage.objects.filter(condition)

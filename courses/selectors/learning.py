"""Reads about a learner's trainings: what a training contains, where a learner stands."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from ..conf import config
from ..models import (
    AttemptStatus,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    LessonProgress,
    LessonStatus,
    LiveEventPage,
    Quiz,
    QuizAttempt,
    TrainingPage,
    WatchProgress,
    WebinarPage,
)


@dataclass(frozen=True)
class QuizRef:
    slug: str
    label: str
    required: bool
    lesson_id: int | None = None


@dataclass
class TrainingContent:
    """The recordings and quizzes a training uses, and its lessons (courses)."""

    lessons: list = field(default_factory=list)
    # (lesson id or None, recording id)
    recordings: list[tuple[int | None, int]] = field(default_factory=list)
    quizzes: list[QuizRef] = field(default_factory=list)

    @property
    def recording_ids(self) -> list[int]:
        return list(dict.fromkeys(rid for _, rid in self.recordings))

    def recording_ids_for(self, lesson_id) -> list[int]:
        return list(dict.fromkeys(rid for lid, rid in self.recordings if lid == lesson_id))

    def required_quizzes(self) -> list[QuizRef]:
        return [q for q in self.quizzes if q.required]


def _recording_id(value) -> int | None:
    # The stand-in chooser stores an id; the media library's chooser gives a Recording.
    value = getattr(value, "pk", value)
    return value if isinstance(value, int) else None


def _walk(stream, lesson_id, content: TrainingContent) -> None:
    for block in stream or ():
        if block.block_type == "recording":
            rid = _recording_id(block.value)
            if rid is not None:
                content.recordings.append((lesson_id, rid))
        elif block.block_type == "quiz":
            content.quizzes.append(
                QuizRef(
                    slug=block.value["quiz"],
                    label=block.value["label"],
                    required=bool(block.value.get("required_to_complete")),
                    lesson_id=lesson_id,
                )
            )
        elif block.block_type == "module" and block.value is not None:
            _walk(block.value.body, lesson_id, content)


def training_content(*, training) -> TrainingContent:
    training = training.specific
    content = TrainingContent()
    if isinstance(training, WebinarPage):
        _walk(training.recording, None, content)
        _walk(training.post_test, None, content)
    elif isinstance(training, CoursePage):
        content.lessons = list(training.lessons().specific())
        for lesson in content.lessons:
            _walk(lesson.body, lesson.pk, content)
    return content


def coverage_percent(*, training) -> int:
    return training.watch_coverage_percent or config().watch_coverage_percent


def quizzes_for(*, training, slugs) -> dict[str, Quiz]:
    """The quizzes a training names, from its association's or provider's quiz bank."""
    owners = [o.pk for o in (training.owning_association, training.provider) if o is not None]
    found = {}
    for quiz in Quiz.objects.filter(slug__in=list(slugs), organization_id__in=owners):
        # The association's own quiz wins over the provider's of the same name.
        if quiz.slug not in found or quiz.organization_id == owners[0]:
            found[quiz.slug] = quiz
    return found


def passed_quiz_ids(*, learner, quiz_ids) -> set[int]:
    return set(
        QuizAttempt.objects.filter(
            learner=learner, quiz_id__in=quiz_ids, status=AttemptStatus.SUBMITTED, passed=True
        ).values_list("quiz_id", flat=True)
    )


def watch_coverage(*, learner, recording_ids) -> dict[int, float]:
    """Recording id -> share watched (0..1)."""
    rows = WatchProgress.objects.filter(learner=learner, recording_id__in=recording_ids)
    return {row.recording_id: row.coverage for row in rows}


def lesson_statuses(*, enrollment) -> dict[int, str]:
    return dict(
        LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", "status")
    )


def lessons_done(*, enrollment, lessons) -> bool:
    statuses = lesson_statuses(enrollment=enrollment)
    return all(statuses.get(lesson.pk) == LessonStatus.DONE for lesson in lessons)


def enrollment_for(*, learner, training) -> Enrollment | None:
    if not getattr(learner, "is_authenticated", False):
        return None
    return (
        Enrollment.objects.filter(learner=learner, training_id=training.pk)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .first()
    )


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
        Enrollment.objects.filter(learner=learner)
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

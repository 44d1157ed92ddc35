"""My learning as cards: each enrollment with its training's image, provider, hours per area,
the share of its completion rules met and the one next thing to do.

Every card's facts are read for all enrollments at once (a fixed number of queries however
many the learner has): the rules are those of ``selectors.completion.completion_checks``,
counted from the stored block data rather than each training's loaded blocks."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page

from lms.organizations.models import Organization
from media_pipeline.models import Recording
from media_pipeline.transcripts import clock

from ..conf import config
from ..models import (
    AttemptStatus,
    Attendance,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    EvaluationResponse,
    LessonPage,
    LessonProgress,
    LessonStatus,
    LibraryModule,
    LiveEventPage,
    Quiz,
    QuizAttempt,
    TrainingAreaHours,
    WatchProgress,
    WebinarPage,
)
from .completion import AttendanceShare, event_minutes
from .quizzes import canonical_only
from .translations import language_versions

CARD_IMAGE = "fill-480x270"


@dataclass(frozen=True)
class NextAction:
    kind: str  # resume, start, post_test, evaluate, certificate, calendar, open
    label: str
    url: str


@dataclass
class LearningCard:
    enrollment: Enrollment
    training: object  # the specific page
    url: str
    is_event: bool
    rules_met: int = 0
    rules_total: int = 0
    area_hours: list = field(default_factory=list)
    action: NextAction | None = None
    # The training's title in the learner's language (its published translation's), if any.
    title: str = ""

    @property
    def percent(self) -> int:
        if self.enrollment.status == EnrollmentStatus.COMPLETED:
            return 100
        return round(self.rules_met / self.rules_total * 100) if self.rules_total else 0


@dataclass
class _Uses:
    """What a training's blocks use, from their stored data."""

    recordings: list[int] = field(default_factory=list)
    quizzes: list[tuple[str, bool]] = field(default_factory=list)  # (slug, required)
    lessons: list = field(default_factory=list)


def _collect(raw, uses: _Uses, modules: dict | None, pending_modules: set | None) -> None:
    for item in raw or []:
        kind, value = item.get("type"), item.get("value")
        if kind == "recording" and isinstance(value, int):
            uses.recordings.append(value)
        elif kind == "quiz" and isinstance(value, dict) and value.get("quiz"):
            uses.quizzes.append((value["quiz"], bool(value.get("required_to_complete"))))
        elif kind == "module" and isinstance(value, int):
            if modules is None:
                pending_modules.add(value)
            elif value in modules:
                _collect(modules[value].body.raw_data, uses, None, set())


def _specific_trainings(ids) -> dict:
    pages = {}
    for model in (WebinarPage, CoursePage, LiveEventPage):
        pages.update(model.objects.filter(pk__in=ids).in_bulk())
    return pages


def _lessons_by_course(courses) -> dict[str, list]:
    """Each course's published lessons (by the course's tree path), in one query."""
    if not courses:
        return {}
    step = Page.steplen
    lessons = (
        LessonPage.objects.live()
        .annotate(parent_path=Substr("path", 1, (F("depth") - Value(1)) * Value(step)))
        .filter(parent_path__in=[c.path for c in courses])
        .order_by("path")
    )
    found: dict[str, list] = {}
    for lesson in lessons:
        found.setdefault(lesson.parent_path, []).append(lesson)
    return found


def _associations_by_root() -> list[tuple[str, int]]:
    rows = Organization.objects.filter(site__isnull=False).values_list(
        "site__root_page__path", "pk"
    )
    return sorted(rows, key=lambda row: -len(row[0]))


def learning_cards(*, learner) -> dict:
    """The learner's cards: in progress, upcoming live events, completed, and those whose
    training is no longer offered (archived)."""
    now = timezone.now()
    enrollments = list(
        Enrollment.objects.filter(learner=learner)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("resume_page", "record", "training__provider", "training__cover_image")
        .prefetch_related(
            Prefetch(
                "training__area_hours",
                queryset=TrainingAreaHours.objects.select_related("area").order_by(
                    "area__order", "area__code"
                ),
            ),
            Prefetch(
                "training__cover_image__renditions",
                queryset=get_image_model()
                .get_rendition_model()
                .objects.filter(filter_spec=CARD_IMAGE),
            ),
        )
        .order_by("-last_activity_at", "-enrolled_at")
    )
    if not enrollments:
        return {"in_progress": [], "upcoming": [], "completed": [], "no_longer_offered": []}
    specific = _specific_trainings([e.training_id for e in enrollments])
    courses = [p for p in specific.values() if isinstance(p, CoursePage)]
    lessons = _lessons_by_course(courses)

    uses: dict[int, _Uses] = {}
    pending_modules: set[int] = set()
    for pk, page in specific.items():
        found = uses[pk] = _Uses()
        if isinstance(page, WebinarPage):
            _collect(page.recording.raw_data, found, None, pending_modules)
            _collect(page.post_test.raw_data, found, None, pending_modules)
        elif isinstance(page, CoursePage):
            found.lessons = lessons.get(page.path, [])
            for lesson in found.lessons:
                _collect(lesson.body.raw_data, found, None, pending_modules)
    if pending_modules:
        # A lesson's library modules: their blocks count as the lesson's own.
        modules = LibraryModule.objects.in_bulk(pending_modules)
        for pk, page in specific.items():
            if isinstance(page, CoursePage):
                fresh = _Uses(lessons=uses[pk].lessons)
                for lesson in fresh.lessons:
                    _collect(lesson.body.raw_data, fresh, modules, None)
                uses[pk] = fresh

    recording_ids = {rid for u in uses.values() for rid in u.recordings}
    existing = (
        set(Recording.objects.filter(pk__in=recording_ids).values_list("pk", flat=True))
        if recording_ids
        else set()
    )
    progress = (
        {
            row.recording_id: row
            for row in WatchProgress.objects.filter(learner=learner, recording_id__in=existing)
        }
        if existing
        else {}
    )
    enrollment_ids = [e.pk for e in enrollments]
    done_lessons = set(
        LessonProgress.objects.filter(
            enrollment_id__in=enrollment_ids, status=LessonStatus.DONE
        ).values_list("enrollment_id", "lesson_id")
    )
    evaluated = set(
        EvaluationResponse.objects.filter(enrollment_id__in=enrollment_ids).values_list(
            "enrollment_id", flat=True
        )
    )
    attended = dict(
        Attendance.objects.filter(enrollment_id__in=enrollment_ids).values_list(
            "enrollment_id", "minutes"
        )
    )
    slugs = {slug for u in uses.values() for slug, _required in u.quizzes}
    quizzes = {}  # (organization id, slug) -> passed
    if slugs:
        passed = set(
            QuizAttempt.objects.filter(
                learner=learner, status=AttemptStatus.SUBMITTED, passed=True, quiz__slug__in=slugs
            ).values_list("quiz_id", flat=True)
        )
        # Attempts are at the source post-test; its translations share its identifier.
        sources = canonical_only(Quiz.objects.filter(slug__in=slugs))
        for quiz in sources.only("pk", "slug", "organization_id"):
            quizzes[(quiz.organization_id, quiz.slug)] = quiz.pk in passed
    roots = _associations_by_root() if slugs else []
    goal_default = config().watch_coverage_percent
    attendance_default = config().attendance_percent

    in_progress, upcoming, completed, no_longer_offered = [], [], [], []
    for enrollment in enrollments:
        base = enrollment.training
        page = specific.get(base.pk, base)
        found = uses.get(base.pk, _Uses())
        is_event = isinstance(page, LiveEventPage)
        card = LearningCard(
            enrollment=enrollment,
            training=page,
            url=base.url or "",
            is_event=is_event,
            area_hours=list(base.area_hours.all()),
        )
        # The page's own columns for the template, with what was prefetched on the base.
        page.provider = base.provider
        page.cover_image = base.cover_image
        rules: list[tuple[str, bool]] = []
        position = 0.0
        if is_event:
            needed = page.minimum_attendance_percent or attendance_default
            length = event_minutes(page)
            minutes = attended.get(enrollment.pk)
            rules.append(
                (
                    "attendance",
                    bool(
                        length
                        and minutes is not None
                        and AttendanceShare(minutes, length).reaches(needed)
                    ),
                )
            )
        else:
            if page.require_lessons and found.lessons:
                rules.append(
                    (
                        "lessons",
                        all((enrollment.pk, les.pk) in done_lessons for les in found.lessons),
                    )
                )
            recordings = [rid for rid in dict.fromkeys(found.recordings) if rid in existing]
            if page.require_watch and recordings:
                needed = page.watch_coverage_percent or goal_default
                unwatched = [
                    progress.get(rid)
                    for rid in recordings
                    if rid not in progress or progress[rid].coverage * 100 < needed
                ]
                rules.append(("watch", not unwatched))
                started = [row for row in unwatched if row is not None and row.position > 1]
                if started:
                    position = started[0].position
            required = [slug for slug, req in dict.fromkeys(found.quizzes) if req]
            if page.require_post_test and required:
                owner = next((pk for path, pk in roots if page.path.startswith(path)), None)
                states = []
                for slug in required:
                    state = quizzes.get((owner, slug))
                    if state is None:
                        state = quizzes.get((page.provider_id, slug))
                    states.append(bool(state))
                rules.append(("post_test", all(states)))
                card.quiz_slug = next(
                    (s for s, ok in zip(required, states, strict=True) if not ok), None
                )
        if page.require_evaluation or not is_event:
            rules.append(("evaluation", enrollment.pk in evaluated))
        card.rules_total = len(rules)
        card.rules_met = sum(met for _key, met in rules)
        card.action = _action(card, rules, position)
        if enrollment.archived_at is not None:
            # Its training was archived: nothing to open or do, the progress stays shown.
            card.url, card.action = "", None
            no_longer_offered.append(card)
        elif enrollment.status == EnrollmentStatus.COMPLETED:
            completed.append(card)
        elif is_event and (page.starts_at is None or page.starts_at > now):
            upcoming.append(card)
        else:
            in_progress.append(card)
    upcoming.sort(key=lambda c: c.training.starts_at or now)
    _titles_in_language(in_progress + upcoming + completed + no_longer_offered)
    return {
        "in_progress": in_progress,
        "upcoming": upcoming,
        "completed": completed,
        "no_longer_offered": no_longer_offered,
    }


def _titles_in_language(cards: list[LearningCard]) -> None:
    """Each card's title as its training's published translation in the active language
    reads it (one query, none in the default language): the card names the training the way
    the learner took it; the enrollment stays the source's."""
    language = get_language() or settings.LANGUAGE_CODE
    if not cards or language == settings.LANGUAGE_CODE:
        return
    _offered, versions = language_versions(
        model=Page,
        translation_keys={card.training.translation_key for card in cards},
        language=language,
    )
    for card in cards:
        version = versions.get(card.training.translation_key)
        if version is not None:
            card.title = version.title


def _action(card: LearningCard, rules, position: float) -> NextAction | None:
    enrollment, page = card.enrollment, card.training
    if enrollment.status == EnrollmentStatus.COMPLETED:
        if enrollment.record_id:
            return NextAction(
                "certificate",
                _("Download certificate"),
                reverse("records:certificate", args=[enrollment.record.verification_id]),
            )
        return NextAction("open", _("Open"), card.url)
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        return NextAction("open", _("See your place"), card.url)
    if card.is_event:
        if page.starts_at is not None:
            return NextAction(
                "calendar", _("Add to calendar"), reverse("learning:calendar", args=[page.pk])
            )
        return NextAction("open", _("Open"), card.url)
    resume = (enrollment.resume_page.url if enrollment.resume_page else "") or card.url
    unmet = [key for key, met in rules if not met]
    first = unmet[0] if unmet else None
    if first in ("lessons", "watch"):
        if position > 1:
            return NextAction("resume", _("Resume at %(time)s") % {"time": clock(position)}, resume)
        if enrollment.resume_page_id or card.rules_met:
            return NextAction("resume", _("Resume"), resume)
        return NextAction("start", _("Start"), resume)
    if first == "post_test" and getattr(card, "quiz_slug", None):
        return NextAction(
            "post_test",
            _("Take the post-test"),
            reverse("learning:quiz", args=[page.pk, card.quiz_slug]),
        )
    if first == "evaluation":
        return NextAction("evaluate", _("Evaluate"), reverse("learning:evaluation", args=[page.pk]))
    return NextAction("open", _("Open"), card.url)


def total_hours(card: LearningCard) -> Decimal:
    return sum((row.hours for row in card.area_hours), Decimal(0))

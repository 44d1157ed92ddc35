"""Trainings seen from a center: training facts and staff progress for the center's pages,
and a faculty institute's module library use, as the plain values of ``centers.values``.
"""

from collections import Counter, defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page, ReferenceIndex

from centers.values import ModuleUse, Progress, ProgressStatus, TrainingFacts
from courses.models import (
    Enrollment,
    EnrollmentStatus,
    LessonPage,
    LessonStatus,
    LibraryModule,
    TrainingPage,
)
from courses.selectors.catalog import kind_label
from lms.organizations.models import Organization


def training_facts(*, training_ids) -> dict[int, TrainingFacts]:
    """Title, kind, link and dates of each training: one query."""
    trainings = TrainingPage.objects.filter(pk__in=list(training_ids)).annotate(
        event_starts_at=F("liveeventpage__starts_at"), event_ends_at=F("liveeventpage__ends_at")
    )
    return {
        t.pk: TrainingFacts(
            title=t.title,
            kind=kind_label(t),
            url=t.get_url() or "",
            contact_hours=t.contact_hours,
            starts_at=t.event_starts_at,
            ends_at=t.event_ends_at,
            live=t.live,
        )
        for t in trainings
    }


def _live_lessons_of_training() -> Coalesce:
    lessons = (
        LessonPage.objects.filter(
            live=True,
            path__startswith=OuterRef("training__path"),
            depth=OuterRef("training__depth") + 1,
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(lessons, output_field=IntegerField()), 0)


def training_progress(*, learner_ids, training_ids) -> dict[tuple[int, int], Progress]:
    """Where each learner stands in each training they are enrolled in: one query, lessons
    counted in the database. Courses report the share of lessons done; other trainings
    whether the learner has started."""
    enrollments = (
        Enrollment.objects.filter(
            learner_id__in=list(learner_ids), training_id__in=list(training_ids)
        )
        .exclude(status=EnrollmentStatus.CANCELLED)
        .annotate(
            lessons_done=Count(
                "lesson_progress", filter=Q(lesson_progress__status=LessonStatus.DONE)
            ),
            lessons_total=_live_lessons_of_training(),
        )
        .order_by("enrolled_at")
    )
    progress = {}
    for e in enrollments:
        if e.status == EnrollmentStatus.COMPLETED:
            value = Progress(
                ProgressStatus.COMPLETED,
                100,
                completed_on=e.completed_at.date() if e.completed_at else None,
                record_id=e.record_id,
            )
        elif e.status == EnrollmentStatus.WAITLISTED:
            value = Progress(ProgressStatus.WAITLISTED)
        else:
            percent = min(e.lessons_done * 100 // e.lessons_total, 99) if e.lessons_total else None
            started = e.lessons_done or e.last_activity_at is not None
            value = Progress(
                ProgressStatus.IN_PROGRESS if started else ProgressStatus.NOT_STARTED, percent
            )
        progress[(e.learner_id, e.training_id)] = value
    return progress


def module_library_use(*, organization) -> list[ModuleUse]:
    """Each library module ``organization`` owns: the courses and associations that embed it
    and how many learners completed those courses. A fixed number of queries, however many
    modules and lessons: Wagtail's reference index in bulk, then pages, courses, associations
    and completions once each."""
    modules = list(LibraryModule.objects.filter(organization=organization).order_by("title"))
    if not modules:
        return []
    references = (
        ReferenceIndex.get_references_to_in_bulk(modules)
        .filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
        .values_list("to_object_id", "object_id")
        .distinct()
    )
    lessons_of = defaultdict(set)
    for module_id, page_id in references:
        lessons_of[int(module_id)].add(int(page_id))
    lessons = {
        page.pk: page
        for page in Page.objects.filter(pk__in=set().union(*lessons_of.values())).only(
            "pk", "title", "path", "depth"
        )
    }
    parent_path = {pk: page.path[: -Page.steplen] for pk, page in lessons.items()}
    courses = {
        page.path: page
        for page in TrainingPage.objects.filter(path__in=set(parent_path.values())).only(
            "pk", "title", "path"
        )
    }
    # The association owning a page is the one whose site root is its deepest ancestor.
    roots = sorted(
        Organization.objects.filter(site__isnull=False).values_list(
            "name", "site__root_page__path"
        ),
        key=lambda item: -len(item[1]),
    )

    def association_of(path: str) -> str:
        return next((name for name, root in roots if path.startswith(root)), "")

    completions = Counter(
        dict(
            Enrollment.objects.filter(
                training__in=list(courses.values()), status=EnrollmentStatus.COMPLETED
            )
            .order_by()
            .values_list("training_id")
            .annotate(n=Count("pk"))
        )
    )
    result = []
    for module in modules:
        rows, counted = [], set()
        for lesson in sorted((lessons[pk] for pk in lessons_of[module.pk]), key=lambda p: p.path):
            course = courses.get(parent_path[lesson.pk])
            rows.append((course.title if course else "", lesson.title, association_of(lesson.path)))
            if course is not None:
                counted.add(course.pk)
        result.append(
            ModuleUse(
                module_title=module.title,
                module_live=module.live,
                uses=tuple(rows),
                completions=sum(completions[pk] for pk in counted),
            )
        )
    return result

"""Trainings seen from a center: training facts and staff progress for the center's pages,
and a faculty institute's module library use.

Center pages call these through ``ATTUNE_CENTER_HOOKS`` (organizations never imports courses)
and get the plain values of ``lms.organizations.centers.hooks`` back.
"""

from collections import Counter

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page

from lms.organizations.centers.hooks import ModuleUse, Progress, ProgressStatus, TrainingFacts

from ..models import (
    Enrollment,
    EnrollmentStatus,
    LessonPage,
    LessonStatus,
    LibraryModule,
    TrainingPage,
)
from .catalog import kind_label
from .library import module_usage


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
    and how many learners completed those courses."""
    modules = list(LibraryModule.objects.filter(organization=organization).order_by("title"))
    usage = {module.pk: module_usage(module=module) for module in modules}
    parent_path = {
        use.page.pk: use.page.path[: -Page.steplen] for uses in usage.values() for use in uses
    }
    courses = {
        page.path: page for page in TrainingPage.objects.filter(path__in=set(parent_path.values()))
    }
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
        for use in usage[module.pk]:
            course = courses.get(parent_path[use.page.pk])
            association = use.association.name if use.association else ""
            rows.append((course.title if course else "", use.page.title, association))
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

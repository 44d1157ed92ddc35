"""Lesson progress in courses: in progress (the learner played its recording or started its
quiz), done, and where to resume. Nothing here runs while a page renders."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import EnrollmentStatus, LessonProgress, LessonStatus
from ..selectors.learning import coverage_percent, training_content, watch_coverage
from .completion import evaluate_completion
from .enrollment import EnrollmentError, note_activity


def open_lesson(*, enrollment, lesson) -> LessonProgress | None:
    """The learner is at work in ``lesson``: it is in progress (unless done) and the place
    to resume. Only an active enrollment records lessons (None otherwise)."""
    return open_lesson_by_id(enrollment_id=enrollment.pk, lesson_id=lesson.pk)


def open_lesson_by_id(*, enrollment_id: int, lesson_id: int) -> LessonProgress | None:
    """``open_lesson`` from ids, as the first heartbeat of a visit to a lesson knows them."""
    if not note_activity(enrollment_id=enrollment_id, page_id=lesson_id):
        return None
    progress = LessonProgress.objects.filter(
        enrollment_id=enrollment_id, lesson_id=lesson_id
    ).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(enrollment_id=enrollment_id, lesson_id=lesson_id)
    except IntegrityError:
        return LessonProgress.objects.get(enrollment_id=enrollment_id, lesson_id=lesson_id)


def lesson_watch_missing(*, enrollment, lesson) -> list[int]:
    """Recordings of the lesson not yet watched to the course's share."""
    training = enrollment.training.specific
    if not training.require_watch:
        return []
    ids = training_content(training=training).recording_ids_for(lesson.pk)
    coverage = watch_coverage(learner=enrollment.learner, recording_ids=ids)
    needed = coverage_percent(training=training)
    return [rid for rid in ids if coverage.get(rid, 0.0) * 100 < needed]


def mark_lesson_done(*, enrollment, lesson) -> LessonProgress:
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(gettext("Only an active enrollment records lessons."))
    if lesson.get_parent().pk != enrollment.training_id:
        raise EnrollmentError(gettext("This lesson is not part of your course."))
    if lesson_watch_missing(enrollment=enrollment, lesson=lesson):
        raise EnrollmentError(gettext("Watch the lesson's recording before marking it done."))
    progress = open_lesson(enrollment=enrollment, lesson=lesson)
    if progress.status != LessonStatus.DONE:
        progress.status = LessonStatus.DONE
        progress.done_at = timezone.now()
        progress.save(update_fields=["status", "done_at"])
    evaluate_completion(enrollment_id=enrollment.pk)
    return progress

"""The learner's panel on training and lesson pages: enrollment, progress, next steps.

Rendering reads only: progress rows are made by the actions that need them (the first
heartbeat, a quiz started in a lesson, a lesson marked done), never by showing a page."""

from django import template

from media_pipeline.models import Recording

from ..conf import config
from ..models import EnrollmentStatus, LessonPage, LiveEventPage, WatchProgress
from ..selectors.completion import completion_checks
from ..selectors.events import can_facilitate
from ..selectors.learning import (
    coverage_percent,
    enrollment_for,
    lesson_statuses,
    training_content,
)
from ..services.heartbeat import watch_token

register = template.Library()

WATCHING = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


def trackers(*, learner, enrollment, training, recording_ids, lesson=None) -> list[dict]:
    """Heartbeat settings for each recording the page shows to an enrolled learner. Reads
    only: before the first beat there is no progress row, which reads as nothing watched."""
    if enrollment is None or enrollment.status not in WATCHING or not recording_ids:
        return []
    goal = coverage_percent(training=training)
    rows = {
        row.recording_id: row
        for row in WatchProgress.objects.filter(learner=learner, recording_id__in=recording_ids)
    }
    active = enrollment.status == EnrollmentStatus.ACTIVE
    result = []
    for recording in Recording.objects.filter(pk__in=recording_ids):
        progress = rows.get(recording.pk)
        token = watch_token(
            # A row without a duration yet is completed by the first beat.
            progress=progress if progress is not None and progress.duration else None,
            learner=learner,
            recording=recording,
            enrollment=enrollment,
            coverage_percent=goal,
            lesson=lesson if active else None,
        )
        result.append(
            {
                # The player names recordings by their key in its events.
                "recording_key": str(recording.key),
                "token": token,
                "position": progress.position if progress is not None else 0.0,
                "coverage": round(progress.coverage * 100) if progress is not None else 0,
                "goal": goal,
                "interval": config().heartbeat_seconds,
            }
        )
    return result


@register.inclusion_tag("courses/learning/panel.html", takes_context=True)
def learning_panel(context, page):
    request = context.get("request")
    user = getattr(request, "user", None)
    training = page.specific
    enrollment = enrollment_for(learner=user, training=training)
    content = training_content(training=training)
    lessons = []
    if content.lessons:
        statuses = lesson_statuses(enrollment=enrollment) if enrollment else {}
        lessons = [(lesson, statuses.get(lesson.pk, "not_started")) for lesson in content.lessons]
    active = enrollment is not None and enrollment.status in WATCHING
    return {
        "request": request,
        "page": training,
        "user": user,
        "enrollment": enrollment,
        "is_event": isinstance(training, LiveEventPage),
        "can_facilitate": isinstance(training, LiveEventPage)
        and can_facilitate(user=user, training=training),
        "checks": completion_checks(enrollment=enrollment) if active else [],
        "lessons": lessons,
        "quizzes": [q for q in content.quizzes if q.lesson_id is None],
        "trackers": trackers(
            learner=user,
            enrollment=enrollment,
            training=training,
            recording_ids=content.recording_ids_for(None),
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("courses/learning/lesson_panel.html", takes_context=True)
def lesson_panel(context, page: LessonPage):
    request = context.get("request")
    user = getattr(request, "user", None)
    course = page.get_parent().specific
    enrollment = enrollment_for(learner=user, training=course)
    status = lesson_statuses(enrollment=enrollment).get(page.pk) if enrollment else None
    content = training_content(training=course)
    return {
        "request": request,
        "page": page,
        "course": course,
        "enrollment": enrollment,
        "status": status,
        "quizzes": [q for q in content.quizzes if q.lesson_id == page.pk],
        "trackers": trackers(
            learner=user,
            enrollment=enrollment,
            training=course,
            recording_ids=content.recording_ids_for(page.pk),
            lesson=page,
        ),
        "csrf_token": context.get("csrf_token"),
    }

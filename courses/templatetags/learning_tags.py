"""The learner's panel on training and lesson pages: enrollment, progress, next steps."""

from django import template

from media_pipeline.models import Recording

from ..conf import config
from ..models import EnrollmentStatus, LessonPage, LiveEventPage
from ..selectors.events import can_facilitate
from ..selectors.learning import (
    coverage_percent,
    enrollment_for,
    lesson_statuses,
    training_content,
)
from ..services.completion import completion_checks
from ..services.heartbeat import ensure_progress, watch_token
from ..services.progress import open_lesson

register = template.Library()

WATCHING = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


def trackers(*, learner, enrollment, training, recording_ids) -> list[dict]:
    """Heartbeat settings for each recording the page shows to an enrolled learner."""
    if enrollment is None or enrollment.status not in WATCHING or not recording_ids:
        return []
    goal = coverage_percent(training=training)
    result = []
    for recording in Recording.objects.filter(pk__in=recording_ids):
        progress = ensure_progress(learner=learner, recording=recording)
        result.append(
            {
                # The player names recordings by their key in its events.
                "recording_key": str(recording.key),
                "token": watch_token(
                    progress=progress, enrollment=enrollment, coverage_percent=goal
                ),
                "position": progress.position,
                "coverage": round(progress.coverage * 100),
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
    status = None
    if enrollment is not None and enrollment.status == EnrollmentStatus.ACTIVE:
        status = open_lesson(enrollment=enrollment, lesson=page).status
    elif enrollment is not None:
        status = lesson_statuses(enrollment=enrollment).get(page.pk)
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
        ),
        "csrf_token": context.get("csrf_token"),
    }

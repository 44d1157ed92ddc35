"""The learner's panel on training and lesson pages: enrollment, progress, next steps.

Rendering reads only: progress rows are made by the actions that need them (the first
heartbeat, a quiz started in a lesson, a lesson marked done), never by showing a page."""

import dataclasses

from django import template

from ..conf import config
from ..models import EnrollmentStatus, LessonPage, LiveEventPage
from ..selectors.completion import completion_checks
from ..selectors.events import can_facilitate
from ..selectors.learning import LearnerTraining, coverage_percent
from ..selectors.outline import current_lesson, lesson_neighbours, next_step, training_outline
from ..selectors.page_reads import page_reads
from ..selectors.translations import canonical_page, presented
from ..services.heartbeat import watch_token

register = template.Library()

WATCHING = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


def trackers(*, learning: LearnerTraining, recording_ids, lesson=None) -> list[dict]:
    """Heartbeat settings for each recording the page shows to an enrolled learner. Reads
    only: before the first beat there is no progress row, which reads as nothing watched."""
    enrollment = learning.enrollment
    if enrollment is None or enrollment.status not in WATCHING or not recording_ids:
        return []
    goal = coverage_percent(training=learning.training)
    rows = learning.progress
    active = enrollment.status == EnrollmentStatus.ACTIVE
    result = []
    recordings = learning.content.recordings_by_id(recording_ids).values()
    # Newest first, as the recordings' own ordering has it.
    for recording in sorted(recordings, key=lambda r: r.created_at, reverse=True):
        progress = rows.get(recording.pk)
        token = watch_token(
            # A row without a duration yet is completed by the first beat.
            progress=progress if progress is not None and progress.duration else None,
            learner=learning.learner,
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


def shown_lessons(lessons, *, served) -> dict:
    """Canonical lesson id -> its live version in the served course's language (a learner
    on the Spanish course follows Spanish lessons); empty when the course is its own source."""
    if not lessons or lessons[0].locale_id == served.locale_id:
        return {}
    versions = LessonPage.objects.live().filter(
        translation_key__in=[lesson.translation_key for lesson in lessons],
        locale_id=served.locale_id,
    )
    by_key = {version.translation_key: version for version in versions}
    return {
        lesson.pk: by_key[lesson.translation_key]
        for lesson in lessons
        if lesson.translation_key in by_key
    }


def in_language_of(outline, lessons, shown) -> list:
    """The outline with each lesson's title and link in the served language."""
    if not shown:
        return outline
    links = {lesson.url: shown[lesson.pk] for lesson in lessons if lesson.pk in shown}
    return [
        dataclasses.replace(item, label=links[item.url].title, url=links[item.url].url)
        if item.kind == "lesson" and item.url in links
        else item
        for item in outline
    ]


def checks_of(learning: LearnerTraining) -> list:
    """The enrollment's checklist, made once per page however many tags show it."""
    if not hasattr(learning, "_checks"):
        learning._checks = completion_checks(enrollment=learning.enrollment, learning=learning)
    return learning._checks


@register.inclusion_tag("courses/learning/panel.html", takes_context=True)
def learning_panel(context, page):
    request = context.get("request")
    user = getattr(request, "user", None)
    training = page.specific
    learning = page_reads(request).learning(learner=user, training=training)
    enrollment = learning.enrollment
    content = learning.content
    lessons = []
    shown = {}
    if content.lessons:
        statuses = learning.lesson_statuses
        shown = shown_lessons(content.lessons, served=training)
        lessons = [
            (shown.get(lesson.pk, lesson), statuses.get(lesson.pk, "not_started"))
            for lesson in content.lessons
        ]
    active = enrollment is not None and enrollment.status in WATCHING
    checks = checks_of(learning) if active else []
    met = sum(check.met for check in checks)
    watch = next((check for check in checks if check.key == "watch"), None)
    own = content.recording_ids_for(None)
    return {
        "request": request,
        "page": training,
        "user": user,
        "enrollment": enrollment,
        "is_event": isinstance(training, LiveEventPage),
        "can_facilitate": isinstance(training, LiveEventPage)
        and can_facilitate(user=user, training=training),
        "checks": checks,
        "checks_met": met,
        "checks_percent": round(met / len(checks) * 100) if checks else 0,
        # The page's trackers are every recording the rule counts: beats update it live.
        "watch_live": watch is not None and len(own) == len(content.recording_ids),
        "goal": coverage_percent(training=training),
        "outline": in_language_of(training_outline(learning), content.lessons, shown),
        "lessons": lessons,
        "quizzes": [q for q in content.quizzes if q.lesson_id is None],
        "trackers": trackers(learning=learning, recording_ids=own),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def learner_view(context, page) -> dict:
    """Whether the page leads with the player (its learner is enrolled), the lesson to take
    up and the step after watching; from the request's shared reads."""
    request = context.get("request")
    learning = page_reads(request).learning(
        learner=getattr(request, "user", None), training=page.specific
    )
    enrollment = learning.enrollment
    if enrollment is None or enrollment.status not in WATCHING:
        return {"watching": False}
    checks = checks_of(learning)
    pending = {c.key for c in checks if not c.met} & {"watch", "lessons"}
    return {
        "watching": True,
        "current_lesson": current_lesson(learning),
        "next_step": next_step(learning, checks),
        # Shown once watching is done; until then the end of the video reveals it.
        "next_step_waits": bool(pending),
    }


@register.simple_tag(takes_context=True)
def course_lessons(context, course) -> list:
    """The course's published lessons, read once with what the learner's panel lists."""
    request = context.get("request")
    reads = page_reads(request).learning(learner=getattr(request, "user", None), training=course)
    return reads.content.lessons


@register.inclusion_tag("courses/learning/lesson_panel.html", takes_context=True)
def lesson_panel(context, page: LessonPage):
    request = context.get("request")
    user = getattr(request, "user", None)
    course = page.get_parent().specific
    learning = page_reads(request).learning(learner=user, training=course)
    enrollment = learning.enrollment
    # A translated or aliased lesson is shown; THE lesson (canonical) is what progress and
    # the player's beats count, and its neighbours are linked in the page's language.
    lesson = canonical_page(page)
    status = learning.lesson_statuses.get(lesson.pk) if enrollment else None
    content = learning.content
    previous, following = lesson_neighbours(learning, lesson)
    return {
        "previous": presented(previous, like=page) if previous else None,
        "next": presented(following, like=page) if following else None,
        "request": request,
        "page": page,
        "course": course,
        "enrollment": enrollment,
        "status": status,
        "quizzes": [q for q in content.quizzes if q.lesson_id == lesson.pk],
        "trackers": trackers(
            learning=learning, recording_ids=content.recording_ids_for(lesson.pk), lesson=lesson
        ),
        "csrf_token": context.get("csrf_token"),
    }

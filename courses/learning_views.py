"""Learner views: enrollment, lessons, post-tests, evaluation, My learning, heartbeats."""

import json

from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import ratelimit
from .calendar import event_ics
from .conf import config
from .learning_blocks import LIKERT_SCALE
from .models import (
    AttemptStatus,
    EnrollmentStatus,
    LessonPage,
    LiveEventPage,
    QuizAttempt,
    TrainingPage,
)
from .selectors.events import can_see_location
from .selectors.learning import enrollment_for, my_learning, quizzes_for, training_content
from .services import enrollment as enrollment_services
from .services.completion import completion_checks, evaluate_completion
from .services.evaluation import clean_answers, submit_evaluation, survey_for
from .services.heartbeat import HeartbeatRefused, read_token, record_heartbeat
from .services.progress import mark_lesson_done
from .services.quizzes import (
    QuizError,
    attempts_left,
    best_attempt,
    shown_questions,
    start_attempt,
    submit_attempt,
)
from .services.watch import Beat, BeatError


def _training(training_id) -> TrainingPage:
    """A published training, as its own page type."""
    return get_object_or_404(TrainingPage.objects.live(), pk=training_id).specific


def _back(training) -> str:
    return training.url or reverse("learning:mine")


@require_POST
def heartbeat(request):
    """One player heartbeat (JSON). CSRF-protected and limited per user.

    It reads the signed-in user from the session and checks the session against the learner
    columns that ``record_heartbeat`` reads with the progress row anyway, instead of loading
    ``request.user``: a beat costs the session read, that read and one write.
    """
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return JsonResponse({"error": "Sign in to have your watching counted."}, status=401)
    settings = config()
    if not ratelimit.allow(
        key=f"heartbeat:{user_id}",
        limit=settings.heartbeat_limit,
        window=settings.heartbeat_window_seconds,
    ):
        response = JsonResponse({"error": "Too many heartbeats; slow down."}, status=429)
        response["Retry-After"] = str(settings.heartbeat_window_seconds)
        return response
    try:
        data = json.loads(request.body or b"null")
        beat = Beat.parse(data)
        outcome = record_heartbeat(
            session=request.session, token=read_token(data.get("token")), beat=beat
        )
    except (ValueError, BeatError) as error:
        return JsonResponse({"error": str(error) or "Send a JSON heartbeat."}, status=400)
    except HeartbeatRefused as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    return JsonResponse(
        {
            "watched": outcome.watched_seconds,
            "coverage": outcome.coverage,
            "credited": outcome.credited,
            "duplicate": outcome.duplicate,
            "goal_reached": outcome.goal_reached,
        }
    )


@login_required
@require_POST
def change_enrollment(request, training_id):
    training = _training(training_id)
    action = request.POST.get("action")
    try:
        if action == "enroll":
            enrollment = enrollment_services.enroll(learner=request.user, training=training)
            if enrollment.status == EnrollmentStatus.WAITLISTED:
                messages.info(request, "The event is full: you are on the waitlist.")
            elif isinstance(training, LiveEventPage):
                messages.success(request, f"You are registered for “{training.title}”.")
            else:
                messages.success(request, f"You are enrolled in “{training.title}”.")
        elif action == "unenroll":
            if enrollment_services.unenroll(learner=request.user, training=training):
                messages.success(request, "Your enrollment is cancelled.")
        else:
            messages.error(request, "Choose to enroll or to cancel your enrollment.")
    except enrollment_services.EnrollmentError as error:
        messages.error(request, str(error))
    return redirect(_back(training))


@login_required
def redeem_code(request):
    error = ""
    if request.method == "POST":
        try:
            enrollment = enrollment_services.enroll_with_code(
                learner=request.user, code=request.POST.get("code", "")
            )
        except enrollment_services.EnrollmentError as problem:
            error = str(problem)
        else:
            training = enrollment.training.specific
            messages.success(request, f"You are enrolled in “{training.title}”.")
            return redirect(_back(training))
    return render(request, "courses/learning/access_code.html", {"error": error})


def _enrollment_or_403(request, training, *, statuses=(EnrollmentStatus.ACTIVE,)):
    enrollment = enrollment_for(learner=request.user, training=training)
    if enrollment is None or enrollment.status not in statuses:
        raise PermissionDenied("Enroll in this training first.")
    return enrollment


@login_required
@require_POST
def lesson_done(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = _training(lesson.get_parent().pk)
    enrollment = _enrollment_or_403(request, course)
    try:
        mark_lesson_done(enrollment=enrollment, lesson=lesson)
    except enrollment_services.EnrollmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{lesson.title}” is done.")
    return redirect(lesson.url or _back(course))


@login_required
def quiz(request, training_id, slug):
    training = _training(training_id)
    refs = {q.slug: q for q in training_content(training=training).quizzes}
    if slug not in refs:
        raise Http404("This training has no such quiz.")
    the_quiz = quizzes_for(training=training, slugs=[slug]).get(slug)
    if the_quiz is None:
        raise Http404("This quiz is not in the quiz bank yet.")
    enrollment = _enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    open_attempt = QuizAttempt.objects.filter(
        quiz=the_quiz, learner=request.user, status=AttemptStatus.IN_PROGRESS
    ).first()
    result = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                open_attempt = start_attempt(quiz=the_quiz, learner=request.user, training=training)
            elif request.POST.get("action") == "submit":
                attempt = get_object_or_404(
                    QuizAttempt, pk=request.POST.get("attempt"), learner=request.user, quiz=the_quiz
                )
                answers = {
                    question.id: request.POST.getlist(f"q-{question.id}")
                    for question, _ in shown_questions(attempt)
                }
                result = submit_attempt(attempt=attempt, answers=answers)
                if result.passed:
                    evaluate_completion(enrollment_id=enrollment.pk)
                open_attempt = None
        except QuizError as error:
            messages.error(request, str(error))
    result = result or best_attempt(quiz=the_quiz, learner=request.user)
    return render(
        request,
        "courses/learning/quiz.html",
        {
            "training": training,
            "quiz": the_quiz,
            "label": refs[slug].label,
            "attempt": open_attempt,
            "questions": shown_questions(open_attempt) if open_attempt else [],
            "result": result,
            "result_questions": [
                (question, choices, result.results.get(question.id, {}))
                for question, choices in (shown_questions(result) if result else [])
            ],
            "attempts_left": attempts_left(quiz=the_quiz, learner=request.user),
        },
    )


@login_required
def evaluation(request, training_id):
    training = _training(training_id)
    enrollment = _enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    survey = survey_for(training=training)
    errors, data = {}, {}
    if hasattr(enrollment, "evaluation"):
        messages.info(request, "You have already submitted the evaluation. Thank you.")
        return redirect(_back(training))
    if request.method == "POST":
        data = request.POST
        try:
            answers = clean_answers(survey=survey, data=request.POST)
            submit_evaluation(
                enrollment=enrollment,
                survey=survey,
                answers=answers,
                attested=request.POST.get("attested") == "yes",
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            enrollment = evaluate_completion(enrollment_id=enrollment.pk)
            if enrollment.status == EnrollmentStatus.COMPLETED:
                messages.success(request, "Thank you. Your training record has been issued.")
            else:
                messages.success(request, "Thank you for your evaluation.")
            return redirect(_back(training))
    return render(
        request,
        "courses/learning/evaluation.html",
        {
            "training": training,
            "survey": survey,
            "errors": errors,
            "data": data,
            "likert_scale": LIKERT_SCALE,
        },
    )


@login_required
def my_learning_view(request):
    context = my_learning(learner=request.user)
    return render(request, "courses/learning/my_learning.html", context)


@login_required
def enrollment_status(request, training_id):
    """The completion checklist of one enrollment, e.g. after the last step."""
    training = _training(training_id)
    enrollment = _enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    return JsonResponse(
        {
            "status": enrollment.status,
            "checks": [
                {"key": c.key, "label": c.label, "met": c.met}
                for c in completion_checks(enrollment=enrollment)
            ],
        }
    )


def event_calendar(request, event_id):
    event = get_object_or_404(LiveEventPage.objects.live(), pk=event_id)
    if event.starts_at is None:
        raise Http404("This event has no date yet.")
    enrollment = enrollment_for(learner=request.user, training=event)
    registered = enrollment is not None and enrollment.status in (
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.COMPLETED,
    )
    location = event.venue_summary
    if can_see_location(user=request.user, event=event, registered=registered):
        location = event.meeting_url or event.location.replace("\n", ", ") or location
    body = event_ics(
        event=event,
        url=event.full_url or request.build_absolute_uri(event.url or "/"),
        host=request.get_host().split(":")[0],
        location=location,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response

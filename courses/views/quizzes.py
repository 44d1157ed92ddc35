"""Post-tests and lesson quizzes: start an attempt, answer it, see the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import AttemptStatus, EnrollmentStatus, QuizAttempt
from ..selectors.learning import quizzes_for, training_content
from ..services.completion import evaluate_completion
from ..services.progress import open_lesson_by_id
from ..services.quizzes import (
    QuizError,
    attempts_left,
    best_attempt,
    shown_questions,
    start_attempt,
    submit_attempt,
)
from .lookup import enrollment_or_403, published_training


@login_required
def quiz(request, training_id, slug):
    training = published_training(training_id)
    refs = {q.slug: q for q in training_content(training=training).quizzes}
    if slug not in refs:
        raise Http404("This training has no such quiz.")
    the_quiz = quizzes_for(training=training, slugs=[slug]).get(slug)
    if the_quiz is None:
        raise Http404("This quiz is not in the quiz bank yet.")
    enrollment = enrollment_or_403(
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
                if refs[slug].lesson_id is not None:
                    # A lesson's quiz: the lesson is in progress and the place to resume.
                    open_lesson_by_id(enrollment_id=enrollment.pk, lesson_id=refs[slug].lesson_id)
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

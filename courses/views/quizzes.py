"""Post-tests and lesson quizzes: start an attempt, answer it, see the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import AttemptStatus, EnrollmentStatus, QuizAttempt
from ..selectors.completion import completion_checks
from ..selectors.learning import quizzes_for, training_content
from ..selectors.quizzes import in_language
from ..services.completion import evaluate_completion
from ..services.progress import open_lesson_by_id
from ..services.quizzes import (
    QuizError,
    attempt_feedback,
    attempts_left,
    best_attempt,
    feedback_policy,
    shown_questions,
    start_attempt,
    submit_attempt,
)
from .lookup import enrollment_or_403, published_training, return_url


def next_step_after_passing(*, enrollment, training, is_post_test: bool) -> tuple[str, str]:
    """Where a learner who passed goes next, as (label, url): a post-test leads to the
    evaluation while it is still to do, then to the certificate once a record is issued."""
    if is_post_test:
        evaluation = next(
            (c for c in completion_checks(enrollment=enrollment) if c.key == "evaluation"), None
        )
        if evaluation is not None and not evaluation.met:
            url = reverse("learning:evaluation", args=[training.pk])
            return _("Continue to the evaluation"), url
    if enrollment.status == EnrollmentStatus.COMPLETED and enrollment.record_id:
        return _("See your certificate"), reverse(
            "records:certificate", args=[enrollment.record.verification_id]
        )
    return _("Back to the training"), return_url(training)


@login_required
def quiz(request, training_id, slug):
    training = published_training(training_id)
    refs = {q.slug: q for q in training_content(training=training).quizzes}
    if slug not in refs:
        raise Http404(_("This training has no such quiz."))
    the_quiz = quizzes_for(training=training, slugs=[slug]).get(slug)
    if the_quiz is None:
        raise Http404(_("This quiz is not in the quiz bank yet."))
    enrollment = enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    # The learner reads the post-test in their language; attempts, grading and every fact
    # on this page are the canonical post-test's.
    words = in_language(the_quiz)
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
    best = best_attempt(quiz=the_quiz, learner=request.user)
    result = result or best
    left = attempts_left(quiz=the_quiz, learner=request.user)
    policy = feedback_policy(
        quiz=the_quiz, passed=best is not None and best.passed, attempts_left=left
    )
    next_step = None
    if best is not None and best.passed and open_attempt is None:
        enrollment.refresh_from_db()
        next_step = next_step_after_passing(
            enrollment=enrollment, training=training, is_post_test=refs[slug].lesson_id is None
        )
    return render(
        request,
        "courses/learning/quiz.html",
        {
            "training": training,
            "quiz": the_quiz,
            "label": refs[slug].label,
            "attempt": open_attempt,
            "questions": shown_questions(open_attempt, words_from=words) if open_attempt else [],
            "result": result,
            "policy": policy,
            "feedback": (
                attempt_feedback(attempt=result, policy=policy, words_from=words) if result else []
            ),
            "attempts_left": left,
            "next_step": next_step,
        },
    )

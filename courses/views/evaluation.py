"""The evaluation (or attestation) a learner submits to complete a training."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ..learning_blocks import LIKERT_SCALE
from ..models import EnrollmentStatus
from ..selectors.credits import offered_credits
from ..services.completion import evaluate_completion
from ..services.credits import clean_credit_choices, submit_evaluation_with_credits
from ..services.evaluation import clean_answers, shown_survey, survey_for
from .lookup import enrollment_or_403, published_training, return_url


def _cleaned(*, survey, training, data):
    """The answers and the credit choices, with the errors of both shown at once."""
    errors, answers, claims, licenses = {}, {}, [], []
    try:
        answers = clean_answers(survey=survey, data=data)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        claims, licenses = clean_credit_choices(training=training, data=data)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return answers, claims, licenses


@login_required
def evaluation(request, training_id):
    training = published_training(training_id)
    enrollment = enrollment_or_403(
        request, training, statuses=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
    )
    survey = survey_for(training=training)
    errors, data = {}, {}
    if hasattr(enrollment, "evaluation"):
        messages.info(request, gettext("You have already submitted the evaluation. Thank you."))
        return redirect(return_url(training))
    if request.method == "POST":
        data = request.POST
        try:
            answers, claims, licenses = _cleaned(survey=survey, training=training, data=data)
            submit_evaluation_with_credits(
                enrollment=enrollment,
                survey=survey,
                answers=answers,
                attested=request.POST.get("attested") == "yes",
                credit_claims=claims,
                licenses=licenses,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            enrollment = evaluate_completion(enrollment_id=enrollment.pk)
            if enrollment.status == EnrollmentStatus.COMPLETED:
                messages.success(
                    request, gettext("Thank you. Your training record has been issued.")
                )
            else:
                messages.success(request, gettext("Thank you for your evaluation."))
            return redirect(return_url(training))
    return render(
        request,
        "courses/learning/evaluation.html",
        {
            "training": training,
            # In the learner's language; answers are checked and kept against ``survey``.
            "survey": shown_survey(survey=survey) if survey is not None else None,
            "errors": errors,
            "data": data,
            "likert_scale": LIKERT_SCALE,
            # As the learner left them when the form comes back with errors.
            "credits": offered_credits(
                training=training, learner=request.user, posted=data if errors else None
            ),
        },
    )

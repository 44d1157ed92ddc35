"""The evaluation (or attestation) a learner submits to complete a training."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ..learning_blocks import LIKERT_SCALE
from ..models import EnrollmentStatus
from ..services.completion import evaluate_completion
from ..services.evaluation import clean_answers, shown_survey, submit_evaluation, survey_for
from .lookup import enrollment_or_403, published_training, return_url


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
        },
    )

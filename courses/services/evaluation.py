"""The evaluation survey and attestation a learner submits before their record is issued."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..learning_blocks import LIKERT_SCALE
from ..models import EvaluationResponse, EvaluationSurvey

STANDARD_TITLE = "Attune standard evaluation"
STANDARD_ITEMS = [
    ("likert", {"prompt": "The training met its stated learning objectives."}),
    ("likert", {"prompt": "The facilitators presented the content clearly."}),
    (
        "likert",
        {
            "prompt": "I can apply what I learned in my work with infants, young children and "
            "families."
        },
    ),
    ("likert", {"prompt": "The training respected the cultures and experiences of families."}),
    ("text", {"prompt": "What will you do differently in your practice?", "required": False}),
    ("text", {"prompt": "What would make this training better?", "required": False}),
]
MAX_TEXT = 4000


def _standard_items() -> list[dict]:
    # Fixed block ids, so that the form shown from the unsaved survey and the survey stored
    # when the first learner submits it name the same items.
    return [
        {"type": kind, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, value["prompt"]))}
        for kind, value in STANDARD_ITEMS
    ]


def standard_survey() -> EvaluationSurvey:
    survey = EvaluationSurvey.objects.filter(organization=None, title=STANDARD_TITLE).first()
    if survey is None:
        survey = EvaluationSurvey.objects.create(title=STANDARD_TITLE, items=_standard_items())
    return survey


def survey_for(*, training) -> EvaluationSurvey | None:
    """The survey a training asks for, or none when it asks only for the attestation. Reads
    only: before anyone has submitted the standard survey it is an unsaved copy, which
    ``submit_evaluation`` stores."""
    if not training.require_evaluation:
        return None
    return (
        training.evaluation_survey
        or EvaluationSurvey.objects.filter(organization=None, title=STANDARD_TITLE).first()
        or EvaluationSurvey(title=STANDARD_TITLE, items=_standard_items())
    )


def clean_answers(*, survey: EvaluationSurvey | None, data) -> dict:
    """Answers keyed by item id, from form data (``data.get(f"item-{id}")``)."""
    answers, errors = {}, {}
    scale = {str(value) for value, _ in LIKERT_SCALE}
    for block in survey.items if survey else ():
        key = str(block.id)
        raw = (data.get(f"item-{key}") or "").strip()
        if block.block_type == "likert":
            if raw not in scale:
                errors[key] = "Choose a rating."
                continue
            answers[key] = int(raw)
        else:
            if block.value.get("required") and not raw:
                errors[key] = "Please answer this question."
                continue
            if len(raw) > MAX_TEXT:
                errors[key] = f"Keep it under {MAX_TEXT} characters."
                continue
            if raw:
                answers[key] = raw
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def submit_evaluation(*, enrollment, survey, answers: dict, attested: bool) -> EvaluationResponse:
    """Store the evaluation once; a second submission returns the first."""
    existing = EvaluationResponse.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if not attested:
        raise ValidationError({"attested": "Confirm that you completed this training yourself."})
    if survey is not None and survey.pk is None:
        survey = standard_survey()
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(
                enrollment=enrollment, survey=survey, answers=answers, attested=True
            )
    except IntegrityError:
        return EvaluationResponse.objects.get(enrollment=enrollment)
    return response

"""The evaluation survey and attestation a learner submits before their record is issued."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from ..learning_blocks import LIKERT_SCALE
from ..models import EvaluationResponse, EvaluationSurvey
from ..selectors.quizzes import canonical, canonical_only, in_language

STANDARD_TITLE = "Attune standard evaluation"
# Stored in English (an item's id is made from its English words); learners read them in
# their language through the interface's catalog unless the survey has a translation.
STANDARD_ITEMS = [
    ("likert", {"prompt": gettext_noop("The training met its stated learning objectives.")}),
    ("likert", {"prompt": gettext_noop("The facilitators presented the content clearly.")}),
    (
        "likert",
        {
            "prompt": gettext_noop(
                "I can apply what I learned in my work with infants, young children and families."
            )
        },
    ),
    (
        "likert",
        {
            "prompt": gettext_noop(
                "The training respected the cultures and experiences of families."
            )
        },
    ),
    (
        "text",
        {
            "prompt": gettext_noop("What will you do differently in your practice?"),
            "required": False,
        },
    ),
    ("text", {"prompt": gettext_noop("What would make this training better?"), "required": False}),
]
STANDARD_PROMPTS = frozenset(value["prompt"] for _kind, value in STANDARD_ITEMS)
MAX_TEXT = 4000


def _standard_items() -> list[dict]:
    # Fixed block ids, so that the form shown from the unsaved survey and the survey stored
    # when the first learner submits it name the same items.
    return [
        {"type": kind, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, value["prompt"]))}
        for kind, value in STANDARD_ITEMS
    ]


def _stored_standard_survey() -> EvaluationSurvey | None:
    sources = canonical_only(
        EvaluationSurvey.objects.filter(organization=None, title=STANDARD_TITLE)
    )
    return sources.order_by("pk").first()


def standard_survey() -> EvaluationSurvey:
    survey = _stored_standard_survey()
    if survey is None:
        survey = EvaluationSurvey.objects.create(title=STANDARD_TITLE, items=_standard_items())
    return survey


def survey_for(*, training) -> EvaluationSurvey | None:
    """The survey a training asks for, or none when it asks only for the attestation. Reads
    only: before anyone has submitted the standard survey it is an unsaved copy, which
    ``submit_evaluation`` stores. Always the canonical survey, whichever language the
    training page is in: responses in every language belong to it."""
    if not training.require_evaluation:
        return None
    return (
        canonical(training.evaluation_survey)
        or _stored_standard_survey()
        or EvaluationSurvey(title=STANDARD_TITLE, items=_standard_items())
    )


@dataclass(frozen=True)
class ShownItem:
    """A survey item as the learner reads it; ``value`` has ``prompt`` and ``required``."""

    id: str
    block_type: str
    value: dict


@dataclass(frozen=True)
class ShownSurvey:
    survey: EvaluationSurvey
    items: list[ShownItem]


def shown_survey(*, survey: EvaluationSurvey, language: str | None = None) -> ShownSurvey:
    """The canonical ``survey``'s items in the learner's language (the active one by
    default): a translation's words where it has them under the same ids, else the standard
    survey's words from the interface's catalog, else the source's. Which items there are and
    which are required are the source's, as ``clean_answers`` checks them."""
    translation = in_language(survey, language=language)
    words = {}
    if translation is not survey:
        words = {str(block.id): block.value.get("prompt") for block in translation.items}
    standard = survey.organization_id is None and survey.title == STANDARD_TITLE
    items = []
    for block in survey.items:
        prompt = block.value.get("prompt") or ""
        if words.get(str(block.id)) and words[str(block.id)] != prompt:
            prompt = words[str(block.id)]
        elif standard and prompt in STANDARD_PROMPTS:
            prompt = gettext(prompt)
        items.append(
            ShownItem(
                id=str(block.id),
                block_type=block.block_type,
                value={"prompt": prompt, "required": bool(block.value.get("required"))},
            )
        )
    return ShownSurvey(survey=survey, items=items)


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
def submit_evaluation(
    *, enrollment, survey, answers: dict, attested: bool, credit_claims=()
) -> EvaluationResponse:
    """Store the evaluation once; a second submission returns the first. ``credit_claims``:
    the credit kinds (ids) the learner chose to claim (``services.credits``)."""
    existing = EvaluationResponse.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if not attested:
        raise ValidationError({"attested": "Confirm that you completed this training yourself."})
    if survey is not None and survey.pk is None:
        survey = standard_survey()
    # Responses belong to the canonical survey, whichever translation the learner read.
    survey = canonical(survey)
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(
                enrollment=enrollment,
                survey=survey,
                answers=answers,
                attested=True,
                credit_claims=sorted({int(k) for k in credit_claims}),
            )
    except IntegrityError:
        return EvaluationResponse.objects.get(enrollment=enrollment)
    return response

"""The learner's choice, when completing, of which credit kinds to claim.

The choice is kept on the evaluation: the record, and the claims with it, may be issued right
at that submit or later (a live event's attendance arrives after the event). A license number
typed here is kept in the learner's profile, so that the claim and the next one use it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.accounts.licenses import clean_license, save_license

from ..selectors.credits import credit_offers
from .evaluation import submit_evaluation


@dataclass(frozen=True)
class LicenseEntry:
    profession: str
    number: str
    jurisdiction: str


def clean_credit_choices(*, training, data) -> tuple[list[int], list[LicenseEntry]]:
    """The kinds chosen (``claim-<kind id>`` = "yes") and the license numbers given with
    them (``license-<kind id>``, ``license-state-<kind id>``). A chosen kind that needs a
    license needs its number; errors are keyed ``credit-<kind id>``."""
    chosen, licenses, errors = [], {}, {}
    for offer in credit_offers(training=training):
        kind = offer.kind
        if data.get(f"claim-{kind.pk}") != "yes":
            continue
        chosen.append(kind.pk)
        if not kind.license_profession:
            continue
        try:
            number, jurisdiction = clean_license(
                profession=kind.license_profession,
                number=data.get(f"license-{kind.pk}", ""),
                jurisdiction=data.get(f"license-state-{kind.pk}", ""),
            )
        except ValidationError as error:
            messages = error.message_dict
            if "number" in messages and not (data.get(f"license-{kind.pk}") or "").strip():
                errors[f"credit-{kind.pk}"] = _(
                    "Enter your license number to claim %(kind)s, or leave it unchecked."
                ) % {"kind": kind.name}
            else:
                errors[f"credit-{kind.pk}"] = " ".join(
                    m for field in messages.values() for m in field
                )
            continue
        licenses[kind.license_profession] = LicenseEntry(
            kind.license_profession, number, jurisdiction
        )
    if errors:
        raise ValidationError(errors)
    return chosen, list(licenses.values())


@transaction.atomic
def submit_evaluation_with_credits(
    *, enrollment, survey, answers: dict, attested: bool, credit_claims, licenses
):
    """Store the evaluation with the kinds to claim, and the licenses typed, together."""
    response = submit_evaluation(
        enrollment=enrollment,
        survey=survey,
        answers=answers,
        attested=attested,
        credit_claims=credit_claims,
    )
    for entry in licenses:
        save_license(
            user=enrollment.learner,
            profession=entry.profession,
            number=entry.number,
            jurisdiction=entry.jurisdiction,
        )
    return response

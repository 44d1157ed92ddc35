"""Credit kinds and offers for the earning and claiming tests, made with the ORM."""

from decimal import Decimal

from courses.models import TrainingCreditOffer
from lms.records.models import CreditKind

SW_STATEMENT = (
    "This program is approved by the State Board of Social Work for continuing education."
)


def social_work_ce(org, **fields):
    return CreditKind.objects.create(
        organization=org,
        name=fields.pop("name", "Social work CE"),
        code=fields.pop("code", "sw-ce"),
        awarding_body=fields.pop("awarding_body", "State Board of Social Work"),
        certificate_statement=fields.pop("certificate_statement", SW_STATEMENT),
        approval_number=fields.pop("approval_number", "SW-PROV-1187"),
        license_profession=fields.pop("license_profession", "social_work"),
        minimum_score_percent=fields.pop("minimum_score_percent", 80),
        **fields,
    )


def registry_hours(org, **fields):
    return CreditKind.objects.create(
        organization=org,
        name=fields.pop("name", "Registry hours"),
        code=fields.pop("code", "registry"),
        awarding_body=fields.pop("awarding_body", "Michigan Early Childhood Registry"),
        certificate_statement=fields.pop(
            "certificate_statement", "Approved for registry training hours."
        ),
        **fields,
    )


def offer(page, kind, amount="3.0", *, category="general", approval_number=""):
    return TrainingCreditOffer.objects.create(
        page=page,
        kind=kind,
        amount=Decimal(amount),
        category=category,
        approval_number=approval_number,
    )

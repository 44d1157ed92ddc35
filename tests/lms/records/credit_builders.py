"""Credit kinds and claimed credits as the completion services write them, for the tests of
credit documents (certificates, verification, transcripts, rosters)."""

from decimal import Decimal

from lms.accounts.models import LicenseProfession
from lms.records.models_credits import (
    CreditCategory,
    CreditClaim,
    CreditKind,
    CreditUnit,
    RecordCredit,
)

SW_STATEMENT = (
    "Great Lakes Association, provider #1187, is approved as a provider for social work "
    "continuing education by the Michigan Social Work Continuing Education Collaborative. "
    "Approval period: 2024-01-01 to 2026-12-31. Social workers completing this course "
    "receive 3 ethics continuing education credits."
)
REGISTRY_STATEMENT = "Approved for early childhood registry training hours (Michigan Registry)."


def social_work(org, **fields) -> CreditKind:
    values = {
        "organization": org,
        "name": "Social work CE",
        "code": "sw-ce",
        "awarding_body": "Michigan Social Work Continuing Education Collaborative",
        "unit": CreditUnit.CONTACT_HOURS,
        "certificate_statement": SW_STATEMENT,
        "approval_number": "MICEC-1187",
        "license_profession": LicenseProfession.SOCIAL_WORK,
        "minimum_score_percent": 80,
        "minimum_questions_per_hour": 10,
    }
    return CreditKind.objects.create(**{**values, **fields})


def registry(org, **fields) -> CreditKind:
    values = {
        "organization": org,
        "name": "Registry hours",
        "code": "registry",
        "awarding_body": "Michigan Early Childhood Registry",
        "unit": CreditUnit.CONTACT_HOURS,
        "certificate_statement": REGISTRY_STATEMENT,
        "approval_number": "REG-0042",
    }
    return CreditKind.objects.create(**{**values, **fields})


def earn(
    record, kind, *, amount="3.0", category=CreditCategory.GENERAL, claim=True, **claim_fields
) -> RecordCredit:
    """The frozen credit a completion writes, and the learner's claim to it."""
    amount = Decimal(amount)
    credit = RecordCredit.objects.create(
        record=record,
        kind=kind,
        kind_name=kind.name,
        awarding_body=kind.awarding_body,
        unit=kind.unit,
        amount=amount,
        contact_hours=amount * kind.hours_per_unit,
        category=category,
        course_approval_number=f"{kind.code.upper()}-C-{record.pk}",
        provider_approval_number=kind.approval_number,
        certificate_statement=kind.certificate_statement,
        license_profession=kind.license_profession,
        earned=True,
        best_score_percent=Decimal("90"),
    )
    if claim:
        CreditClaim.objects.create(credit=credit, learner=record.learner, **claim_fields)
    return credit

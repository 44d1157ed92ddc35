"""Helpers for the credential tests: the vendored 1EdTech schemas, a record with claimed
continuing-education credits, and reading a credential's record back."""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from jsonschema import Draft201909Validator
from referencing import Registry, Resource

from lms.accounts.models import LicenseProfession
from lms.records.models import TrainingRecord
from lms.records.models_credits import (
    CreditCategory,
    CreditClaim,
    CreditKind,
    CreditUnit,
    RecordCredit,
)

SCHEMAS = Path(__file__).parent / "schemas" / "obv3"
# The id Open Badges 3.0 (section 1.2.3) publishes for the AchievementCredential schema,
# which credentials name in credentialSchema; the vendored file is that schema.
ACHIEVEMENT_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def validator(name: str) -> Draft201909Validator:
    """A validator for a vendored schema; every $ref resolves locally (no network)."""
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s))
        for s in (_schema(n) for n in ("achievementcredential", "profile", "endorsementcredential"))
    )
    return Draft201909Validator(
        _schema(name), registry=registry, format_checker=Draft201909Validator.FORMAT_CHECKER
    )


def schema_errors(document: dict, name: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(document)
    ]


def record_of(credential: dict) -> TrainingRecord:
    verification_id = credential["evidence"][0]["id"].rstrip("/").rsplit("/", 1)[-1]
    return TrainingRecord.objects.get(verification_id=verification_id)


def claimed_credit(record, *, code, name, awarding_body, amount, category, license_number=""):
    kind = CreditKind.objects.create(
        organization=record.provider_organization,
        name=name,
        code=code,
        awarding_body=awarding_body,
        unit=CreditUnit.CONTACT_HOURS,
        certificate_statement=f"Approved by {awarding_body}.",
        approval_number=f"{code.upper()}-1187",
        license_profession=LicenseProfession.SOCIAL_WORK if license_number else "",
    )
    credit = RecordCredit.objects.create(
        record=record,
        kind=kind,
        kind_name=name,
        awarding_body=awarding_body,
        unit=kind.unit,
        amount=Decimal(amount),
        contact_hours=Decimal(amount),
        category=category,
        course_approval_number=f"{code.upper()}-C-7",
        provider_approval_number=kind.approval_number,
        certificate_statement=kind.certificate_statement,
        license_profession=kind.license_profession,
        earned=True,
        best_score_percent=Decimal("90"),
    )
    CreditClaim.objects.create(
        credit=credit,
        learner=record.learner,
        license_number=license_number,
        license_jurisdiction="MI" if license_number else "",
    )
    return credit


def with_sw_and_registry(record):
    sw = claimed_credit(
        record,
        code="sw-ce",
        name="Social work CE",
        awarding_body="Michigan Social Work Continuing Education Collaborative",
        amount="3.0",
        category=CreditCategory.ETHICS,
        license_number="6801099999",
    )
    registry = claimed_credit(
        record,
        code="registry",
        name="Registry hours",
        awarding_body="Michigan Early Childhood Registry",
        amount="3.5",
        category=CreditCategory.GENERAL,
    )
    return sw, registry

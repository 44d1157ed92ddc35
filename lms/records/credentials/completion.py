"""The Open Badges 3.0 ``OpenBadgeCredential`` of a platform completion.

The issuer is the organization that provided the training (Attune itself when none is
known). Each version of a record's credential (what the record states after its
amendments, with the credits the learner claimed) is its own credential: a new
``urn:uuid`` id and a new entry in the issuer's status list. When the record changes the
older credential is marked superseded there, and revoking the record revokes every version.
The same version always downloads as the same bytes.
"""

import logging
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from lms.numbers import plain

from .. import status_lists
from ..facts import facts_for
from ..links import verification_url
from ..models import PlatformCompletion, RecordStatus, TrainingRecord
from ..models_credits import CreditUnit, RecordCredit
from ..models_status import CredentialStatusEntry, StatusSubject
from .identity import holder_identifiers, identity_salt
from .keys import CONTEXTS, CredentialError, issuer_reference
from .proof import iso_datetime, json_number
from .signing import ACHIEVEMENT_CREDENTIAL_SCHEMA, sign_as

# OBv3's AlignmentTargetType is an extensible enumeration (spec B.1.29): its own terms name
# CASE items and Credential Engine (CTDL) nodes, which competency areas and credit kinds are
# not, so they get extension terms, which must start with "ext:".
AREA_TARGET_TYPE = "ext:CompetencyArea"
CREDIT_TARGET_TYPE = "ext:ContinuingEducationCredit"
CREDIT_RESULT_TYPE = "ext:ContinuingEducationCredit"

logger = logging.getLogger(__name__)


def subject_key(record: TrainingRecord) -> str:
    return f"record:{record.verification_id}"


def claimed_credits(record: TrainingRecord) -> list[RecordCredit]:
    """Credits earned and claimed (not withdrawn): the ones the credential states."""
    return list(
        RecordCredit.objects.filter(
            record=record,
            earned=True,
            claim__isnull=False,
            claim__withdrawn_at__isnull=True,
        ).order_by("kind_name", "pk")
    )


def _version_key(record: TrainingRecord, credits: list[RecordCredit]) -> str:
    amendments = record.amendments.count()
    return f"amendments={amendments};credits={','.join(str(c.pk) for c in credits)}"


def _unit_label(credit: RecordCredit) -> str:
    return "CEUs" if credit.unit == CreditUnit.CEUS else "contact hours"


def _credit_parts(url: str, credit: RecordCredit) -> tuple[dict, dict]:
    """The achievement's ResultDescription and the learner's Result for one claimed credit.
    Never the learner's license number: the credential travels further than the board."""
    amount = plain(credit.amount)
    numbers = [
        f"provider approval {credit.provider_approval_number}"
        if credit.provider_approval_number
        else "",
        f"course approval {credit.course_approval_number}" if credit.course_approval_number else "",
    ]
    description_id = f"{url}#credit-{credit.verification_id}"
    alignment = {
        "type": ["Alignment"],
        "targetName": credit.kind_name,
        "targetDescription": (
            f"{credit.kind_name} awarded by {credit.awarding_body}: {amount} "
            f"{_unit_label(credit)} ({plain(credit.contact_hours)} contact hours), "
            f"category {credit.get_category_display()}"
            + "".join(f"; {n}" for n in numbers if n)
            + "."
        ),
        "targetType": CREDIT_TARGET_TYPE,
        "targetCode": credit.category,
        "targetFramework": credit.awarding_body,
        "targetUrl": description_id,
    }
    description = {
        "id": description_id,
        "type": ["ResultDescription"],
        "name": f"{credit.kind_name} ({_unit_label(credit)})",
        "resultType": CREDIT_RESULT_TYPE,
        "alignment": [alignment],
    }
    result = {
        "type": ["Result"],
        "resultDescription": description_id,
        "value": amount,
        "status": "Completed",
        "alignment": [alignment],
    }
    return description, result


def unsigned_credential(
    record: TrainingRecord, *, credential_id: str, credential_status: dict | None = None
) -> dict:
    facts = facts_for(record)
    organization = record.provider_organization
    issuer = issuer_reference(organization)
    url = verification_url(record)
    description = (
        f"{plain(facts.duration_hours)} clock hours of training completed on "
        f"{facts.completed_on.isoformat()}, provided by {facts.provider_name}."
    )
    credits = claimed_credits(record)
    parts = [_credit_parts(url, credit) for credit in credits]
    achievement = {
        "id": f"{url}#achievement",
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": facts.title,
        "description": description,
        "criteria": {"narrative": "Completed the training and met its completion requirements."},
        "creator": issuer,
        "creditsAvailable": json_number(facts.duration_hours),
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": area.name,
                "targetCode": area.code,
                "targetType": AREA_TARGET_TYPE,
                "targetDescription": f"{plain(area.hours)} clock hours",
                "targetUrl": f"{url}#area-{area.code}",
            }
            for area in facts.area_hours
        ],
    }
    if parts:
        achievement["resultDescription"] = [description for description, _result in parts]
    if facts.topic:
        achievement["tag"] = [facts.topic]
    subject = {
        "type": ["AchievementSubject"],
        # An erased learner's credential names nobody: only the salted e-mail hash, which
        # matched their address as it was, identifies them.
        "identifier": holder_identifiers(
            email=record.learner.email,
            salt=identity_salt(record.verification_id),
            name=None
            if record.learner.is_erased
            else record.learner.get_full_name() or record.learner.email,
        ),
        "achievement": achievement,
        "activityEndDate": f"{facts.completed_on.isoformat()}T00:00:00Z",
        # The clock hours of the training: each kind's credit is a Result of its own.
        "creditsEarned": json_number(facts.duration_hours),
    }
    if parts:
        subject["result"] = [result for _description, result in parts]
    evidence = [
        {
            "id": url,
            "type": ["Evidence"],
            "name": "Attune training record",
            "narrative": (
                f"Facilitators: {facts.facilitator_names or 'not recorded'}. "
                f"Delivery: {facts.delivery_format_label}."
            ),
        }
    ]
    document = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": iso_datetime(record.created_at),
        "name": facts.title,
        "credentialSubject": subject,
        "evidence": evidence,
        "credentialSchema": [dict(ACHIEVEMENT_CREDENTIAL_SCHEMA)],
    }
    if credential_status is not None:
        document["credentialStatus"] = credential_status
    return document


def current_credential_entry(record: TrainingRecord) -> CredentialStatusEntry:
    """The status entry of the record's credential as the record stands: the same one until
    the record is amended or its claimed credits change, then a new one, and the older
    credential is marked superseded by it. Reading a credential that is already current
    writes nothing and takes no lock."""
    entry = status_lists.current_entry(subject_key=subject_key(record))
    if entry is not None and entry.version_key == _version_key(record, claimed_credits(record)):
        return entry
    with transaction.atomic():
        # One issuer at a time per record: two downloads never make two current credentials.
        list(
            TrainingRecord.objects.non_polymorphic()
            .select_for_update()
            .filter(pk=record.pk)
            .values_list("pk", flat=True)
        )
        key = subject_key(record)
        version = _version_key(record, claimed_credits(record))
        entry = status_lists.current_entry(subject_key=key)
        if entry is not None and entry.version_key == version:
            return entry
        fresh = status_lists.allocate(
            organization=record.provider_organization,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            subject_kind=StatusSubject.RECORD,
            subject_key=key,
            version_key=version,
        )
        if entry is not None:
            status_lists.supersede(credential_id=entry.credential_id, by=fresh)
        return fresh


def issue_credential_when_committed(record: TrainingRecord) -> None:
    """Give a new platform completion its credential's status entry once the record is
    committed, so that downloading the credential later only reads."""
    if not isinstance(record, PlatformCompletion):
        return

    def issue():
        try:
            current_credential_entry(TrainingRecord.objects.get(pk=record.pk))
        except Exception:
            # The record stands; its credential is issued at its first download instead.
            logger.exception("Cannot issue the credential of record %s now", record.pk)

    transaction.on_commit(issue)


def reissue_credential(record: TrainingRecord) -> CredentialStatusEntry | None:
    """After a change to what the record states (an amendment, a claim made or withdrawn):
    if a credential was issued for it, issue the new version now, so the old one reads
    superseded at once rather than at the learner's next download."""
    if not isinstance(record, PlatformCompletion) or record.status != RecordStatus.VALID:
        return None
    if status_lists.current_entry(subject_key=subject_key(record)) is None:
        return None
    return current_credential_entry(record)


def credential_for(record: TrainingRecord) -> dict:
    """The signed OBv3 credential of a valid platform completion."""
    if not isinstance(record, PlatformCompletion):
        raise CredentialError(_("Open Badges credentials are issued for platform completions."))
    if record.status != RecordStatus.VALID:
        raise CredentialError(_("This record was revoked."))
    entry = current_credential_entry(record)
    document = unsigned_credential(
        record,
        credential_id=entry.credential_id,
        credential_status=status_lists.as_credential_status(entry),
    )
    return sign_as(
        document, organization=record.provider_organization, created=iso_datetime(entry.created_at)
    )

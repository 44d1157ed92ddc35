"""A learner claims, or withdraws the claim of, a credit their record earned.

A claim is what a certificate of that credit is issued on: the learner's name and, for a kind
whose board asks for it, their license number. Claims are never deleted: withdrawing keeps
the row with its time, and claiming again brings the same row back.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.licenses import clean_license, save_license

from ..credentials import reissue_credential
from ..models import CreditClaim, RecordCredit, RecordEvent, TrainingRecord
from .record_events import add_record_event


def _locked_credit(*, learner, credit) -> RecordCredit:
    """The credit, read again under the record's lock, if the learner may claim on it."""
    found = (
        RecordCredit.objects.select_related("record")
        .filter(pk=getattr(credit, "pk", credit))
        .first()
    )
    if found is None or found.record.learner_id != learner.pk:
        raise ValidationError(_("This credit is not on one of your records."))
    # Claims of one record's credits queue on the record (a double submit, two tabs).
    list(
        TrainingRecord.objects.non_polymorphic()
        .select_for_update()
        .filter(pk=found.record_id)
        .values_list("pk", flat=True)
    )
    return found


def claim_credit(
    *, learner, credit, license_number: str = "", license_jurisdiction: str = ""
) -> CreditClaim:
    """Claim an earned credit. A kind that needs a license needs its number, which is kept
    in the learner's profile too. Claiming what is already claimed changes only the license
    number; a double submit makes one claim."""
    with transaction.atomic():
        credit = _locked_credit(learner=learner, credit=credit)
        if credit.record.is_revoked:
            raise ValidationError(_("This record was revoked: its credit cannot be claimed."))
        if not credit.earned:
            raise ValidationError(
                _("You did not earn %(kind)s on this record: %(reason)s")
                % {"kind": credit.kind_name, "reason": credit.not_earned_reason}
            )
        number = jurisdiction = ""
        if credit.license_profession:
            if not (license_number or "").strip():
                raise ValidationError(
                    {
                        "license_number": _("Enter your license number to claim %(kind)s.")
                        % {"kind": credit.kind_name}
                    }
                )
            try:
                number, jurisdiction = clean_license(
                    profession=credit.license_profession,
                    number=license_number,
                    jurisdiction=license_jurisdiction,
                )
            except ValidationError as error:
                raise ValidationError(
                    {
                        {"number": "license_number", "jurisdiction": "license_jurisdiction"}.get(
                            field, field
                        ): messages
                        for field, messages in error.message_dict.items()
                    }
                ) from error
            save_license(
                user=learner,
                profession=credit.license_profession,
                number=number,
                jurisdiction=jurisdiction,
            )
        claim = CreditClaim.objects.filter(credit=credit).first()
        if claim is None:
            try:
                with transaction.atomic():
                    claim = CreditClaim.objects.create(
                        credit=credit,
                        learner=learner,
                        license_number=number,
                        license_jurisdiction=jurisdiction,
                    )
            except IntegrityError:
                # A racing claim of the same credit made the row first: that is the claim.
                return CreditClaim.objects.get(credit=credit)
        else:
            unchanged = (
                claim.is_active
                and claim.license_number == number
                and claim.license_jurisdiction == jurisdiction
            )
            if unchanged:
                return claim
            claim.withdrawn_at = None
            claim.license_number = number
            claim.license_jurisdiction = jurisdiction
            claim.save(update_fields=["withdrawn_at", "license_number", "license_jurisdiction"])
        _claims_changed(credit, RecordEvent.Kind.CREDIT_CLAIMED, actor=learner)
    return claim


def withdraw_claim(*, learner, credit) -> CreditClaim | None:
    """Withdraw the learner's claim of a credit (its certificate is no longer offered).
    Withdrawing what is not claimed changes nothing."""
    with transaction.atomic():
        credit = _locked_credit(learner=learner, credit=credit)
        claim = CreditClaim.objects.filter(credit=credit, withdrawn_at__isnull=True).first()
        if claim is None:
            return None
        claim.withdrawn_at = timezone.now()
        claim.save(update_fields=["withdrawn_at"])
        _claims_changed(credit, RecordEvent.Kind.CREDIT_WITHDRAWN, actor=learner)
    return claim


def _claims_changed(credit, kind, *, actor) -> None:
    """The record's history notes the claim or withdrawal; the record's Open Badges
    credential states its claimed credits, so a new version is issued and the one a
    verifier may hold reads superseded."""
    add_record_event(
        credit.record,
        kind,
        actor=actor,
        credit=str(credit.verification_id),
        credit_kind=credit.kind_name,
    )
    reissue_credential(TrainingRecord.objects.get(pk=credit.record_id))

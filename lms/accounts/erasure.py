"""Erasure at a person's request: asking, then a platform admin processing or declining.

Processing removes or anonymises personal data (through every registered privacy section)
and keeps the evidence associations must keep, under an anonymous identity: the account
row stays, with ``erased-<short id>@invalid`` for its e-mail and no name or password."""

import uuid

from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Token
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.audit.models import AuditAction
from lms.audit.services import events_about, pseudonymise_person, record_event

from .models import (
    ErasureRequest,
    ErasureStatus,
    LearnerProfile,
    ProfessionalLicense,
    SharingConsent,
    User,
)
from .privacy import erase_sections, register_section
from .selectors import consents_of

ERASED_DOMAIN = "invalid"


def anonymous_email(anonymous_id: str) -> str:
    return f"{anonymous_id}@{ERASED_DOMAIN}"


def request_erasure(*, user: User, reason: str = "") -> ErasureRequest:
    """The person asks to be erased. Asking twice returns the open request unchanged."""
    if user.is_erased:
        raise ValidationError(_("This account was already erased."))
    open_request = ErasureRequest.objects.filter(user=user, status=ErasureStatus.REQUESTED).first()
    if open_request is not None:
        return open_request
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(user=user, reason=reason.strip())
            record_event(action=AuditAction.ERASURE_REQUESTED, target=user)
    except IntegrityError:
        return ErasureRequest.objects.get(user=user, status=ErasureStatus.REQUESTED)
    return erasure


def _locked_open_request(erasure_request: ErasureRequest) -> ErasureRequest:
    locked = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
    if locked.status != ErasureStatus.REQUESTED:
        raise ValidationError(_("This request was already processed."))
    return locked


@transaction.atomic
def decline_erasure(*, erasure_request: ErasureRequest, processed_by, note: str) -> ErasureRequest:
    if not note.strip():
        raise ValidationError({"decision_note": [_("Say why the request is declined.")]})
    erasure = _locked_open_request(erasure_request)
    erasure.status = ErasureStatus.DECLINED
    erasure.processed_at = timezone.now()
    erasure.processed_by = processed_by
    erasure.decision_note = note.strip()
    erasure.save()
    record_event(
        action=AuditAction.ERASURE_DECLINED,
        target=erasure.user,
        actor=processed_by,
        details={"request": erasure.pk},
    )
    return erasure


@transaction.atomic
def process_erasure(*, erasure_request: ErasureRequest, processed_by) -> ErasureRequest:
    """Erase the person's personal data. Evidence stays, under ``anonymous_id``."""
    erasure = _locked_open_request(erasure_request)
    user = User.objects.select_for_update().get(pk=erasure.user_id)
    anonymous_id = f"erased-{uuid.uuid4().hex[:10]}"
    # The whole name and the addresses: a first name alone would also match other words.
    identifying = [user.get_full_name(), user.email]
    identifying += list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    erase_sections(user=user, anonymous_id=anonymous_id)
    user.first_name = ""
    user.last_name = ""
    user.email = anonymous_email(anonymous_id)
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    # Every session ends: the password hash changed, and the epoch with it.
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    pseudonymise_person(user_id=user.pk, label=anonymous_id, texts=identifying)
    erasure.status = ErasureStatus.COMPLETED
    erasure.processed_at = timezone.now()
    erasure.processed_by = processed_by
    erasure.anonymous_id = anonymous_id
    erasure.reason = ""
    erasure.save()
    record_event(
        action=AuditAction.ERASURE_COMPLETED,
        target=user,
        target_repr=anonymous_id,
        actor=processed_by,
        details={"request": erasure.pk},
    )
    return erasure


# The account's own sections


def _export_profile(*, user):
    profile = LearnerProfile.objects.filter(user=user).first()
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "sign_in_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "single_sign_on_accounts": list(
            SocialAccount.objects.filter(user=user).values("provider", "date_joined")
        ),
    }
    if profile is not None:
        data["profile"] = {
            "discipline": profile.discipline,
            "job_role": profile.job_role,
            "work_setting": profile.work_setting,
            "state": profile.state,
            "association": str(profile.association) if profile.association_id else None,
            "target_category": profile.target_category_id and str(profile.target_category),
            "target_date": profile.target_date,
            "time_zone": profile.time_zone,
            "captions_on": profile.captions_on,
            "caption_language": profile.caption_language,
            "language": profile.language,
        }
    return data


def _erase_profile(*, user, anonymous_id):
    LearnerProfile.objects.filter(user=user).update(
        discipline="",
        job_role="",
        work_setting="",
        state="",
        target_category=None,
        target_date=None,
        time_zone="UTC",
        captions_on=False,
        caption_language="",
        language="",
    )
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()


def _export_licenses(*, user):
    return [
        {
            "license": lic.get_profession_display(),
            "number": lic.number,
            "state": lic.jurisdiction,
            "updated_at": lic.updated_at,
        }
        for lic in ProfessionalLicense.objects.filter(user=user)
    ]


def _erase_licenses(*, user, anonymous_id):
    # Certificates already claimed keep nothing of these: the claims' copies are blanked by
    # the records' own section.
    ProfessionalLicense.objects.filter(user=user).delete()


def _export_consents(*, user):
    return [
        {
            "organization": consent.organization.name,
            "scope": consent.get_scope_display(),
            "granted_at": consent.granted_at,
            "revoked_at": consent.revoked_at,
        }
        for consent in consents_of(user=user)
    ]


def _erase_consents(*, user, anonymous_id):
    # The history stays (what was shared lawfully, and when); nothing is shared from now on.
    SharingConsent.objects.active().filter(user=user).update(revoked_at=timezone.now())


def _export_erasure_requests(*, user):
    return list(
        ErasureRequest.objects.filter(user=user).values(
            "status", "reason", "requested_at", "processed_at", "decision_note"
        )
    )


def _export_audit(*, user):
    return [
        {
            "when": event.created,
            "action": event.get_action_display(),
            "by": event.actor_repr,
            "target": event.target_repr,
            "details": event.details,
        }
        for event in events_about(user_id=user.pk)
    ]


def register_account_sections() -> None:
    register_section(
        "profile",
        description=gettext_lazy("Your account and learner profile"),
        export=_export_profile,
        erase=_erase_profile,
    )
    register_section(
        "licenses",
        description=gettext_lazy("Your professional licenses"),
        export=_export_licenses,
        erase=_erase_licenses,
    )
    register_section(
        "consents",
        description=gettext_lazy("Your consents to share, given and taken back"),
        export=_export_consents,
        erase=_erase_consents,
    )
    register_section(
        "erasure_requests",
        description=gettext_lazy("Your requests to be erased"),
        export=_export_erasure_requests,
    )
    register_section(
        "audit_entries",
        description=gettext_lazy(
            "Audit log entries of what you did or what was done to your account"
        ),
        export=_export_audit,
    )

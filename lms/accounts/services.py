from allauth.idp.oidc.models import Token
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .models import ConsentScope, LearnerProfile, SharingConsent, User
from .signals import consent_revoked


def get_or_create_profile(*, user: User) -> LearnerProfile:
    profile, _created = LearnerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(*, user: User, **fields) -> LearnerProfile:
    """Update the user's name and profile fields in one step."""
    user_fields = {k: fields.pop(k) for k in ("first_name", "last_name") if k in fields}
    for name, value in user_fields.items():
        setattr(user, name, value)
    if user_fields:
        user.save(update_fields=list(user_fields))
    profile = get_or_create_profile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def set_preferred_language(*, user: User, language: str) -> LearnerProfile:
    """Keep ``language`` as the user's choice for Attune's pages ("" for none)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Attune does not speak this language yet.")]})
    profile = get_or_create_profile(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language", "updated_at"])
    return profile


def _check_scope(scope: str) -> None:
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": [_("Unknown kind of consent.")]})


@transaction.atomic
def grant_consent(*, user: User, organization, scope: str) -> SharingConsent:
    """Consent to share ``scope`` with ``organization``. Granting what is already granted
    returns the active consent unchanged (a double click never makes two)."""
    _check_scope(scope)
    if scope == ConsentScope.ASSOCIATION_RECORDS and organization.kind != "association":
        raise ValidationError({"organization": [_("Records are shared with associations only.")]})
    if scope == ConsentScope.LEARNING_ACTIVITY and organization.kind != "association":
        raise ValidationError(
            {"organization": [_("Learning activity is shared with associations only.")]}
        )
    if scope == ConsentScope.CENTER_PORTFOLIO and organization.kind != "center":
        raise ValidationError({"organization": [_("A portfolio is shared with centers only.")]})
    active = (
        SharingConsent.objects.select_for_update()
        .active()
        .filter(user=user, organization=organization, scope=scope)
        .first()
    )
    if active is not None:
        return active
    try:
        with transaction.atomic():
            consent = SharingConsent.objects.create(
                user=user, organization=organization, scope=scope, granted_at=timezone.now()
            )
    except IntegrityError:
        # A simultaneous grant won the race to the one active consent.
        return SharingConsent.objects.active().get(
            user=user, organization=organization, scope=scope
        )
    _consent_event(AuditAction.CONSENT_GRANTED, user=user, organization=organization, scope=scope)
    return consent


@transaction.atomic
def revoke_consent(*, user: User, organization, scope: str) -> bool:
    """Take consent back, at once. False when there was none to revoke."""
    _check_scope(scope)
    ended = (
        SharingConsent.objects.active()
        .filter(user=user, organization=organization, scope=scope)
        .update(revoked_at=timezone.now())
    )
    if ended:
        _consent_event(
            AuditAction.CONSENT_REVOKED, user=user, organization=organization, scope=scope
        )
        consent_revoked.send(
            sender=SharingConsent, user=user, organization=organization, scope=scope
        )
    return bool(ended)


def _consent_event(action, *, user, organization, scope) -> None:
    record_event(
        action=action,
        organization=organization,
        target=user,
        details={"scope": scope},
    )


def sign_out_everywhere(*, user: User) -> None:
    """End every session of ``user`` on every host, and the tokens the platform gave the
    association sites for them. Called when they sign out anywhere."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    Token.objects.filter(user=user).delete()

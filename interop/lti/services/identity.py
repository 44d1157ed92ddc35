"""Who a platform's user is in Attune: matched by (registration, subject), never by e-mail
alone. The first launch makes an account for that platform user. An existing account is
linked by e-mail only when the platform asserts the address is verified
(``email_verified: true``), and never an account that holds a staff role: a platform's
administrator must not be able to sign in as someone's Attune administrator."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from lti_tool.models import LtiUser

from lms.organizations.models import Role
from lms.organizations.selectors import roles_by_organization

PLACEHOLDER_DOMAIN = "lti.invalid"


def placeholder_email() -> str:
    """An address no mail can reach (.invalid is reserved): the learner adds theirs later."""
    return f"lti-{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}"


def _linkable(user) -> bool:
    if not user.is_active or user.is_staff or user.is_superuser:
        return False
    roles = set().union(*roles_by_organization(user=user).values())
    return not (roles - {Role.STAFF})


def _new_account(*, lti_user: LtiUser, email: str):
    User = get_user_model()
    user = User.objects.create_user(
        email=email,
        first_name=(lti_user.given_name or lti_user.name)[:150],
        last_name=lti_user.family_name[:150],
    )
    return user


@transaction.atomic
def user_for(*, lti_user: LtiUser, claims: dict):
    """The Attune account of ``lti_user`` (made and linked on the first launch)."""
    lti_user = LtiUser.objects.select_for_update().get(pk=lti_user.pk)
    if lti_user.auth_user_id is not None:
        return lti_user.auth_user
    User = get_user_model()
    email = (claims.get("email") or "").strip()
    verified = claims.get("email_verified") is True
    user = None
    if email and verified:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and _linkable(existing):
            user = existing
        elif existing is None:
            user = _new_account(lti_user=lti_user, email=email)
    if user is None:
        user = _new_account(lti_user=lti_user, email=placeholder_email())
    lti_user.auth_user = user
    lti_user.save(update_fields=["auth_user", "datetime_modified"])
    return user

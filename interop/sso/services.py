"""Writes for association sign-in: what a membership system's answer does to Attune.

A subject seen before signs its linked account in. A new subject makes an account when no
account uses its e-mail; when one does, nothing is linked until the person proves the
account is theirs with its password (``link_with_password``): an e-mail alone never links.
Every sign-in brings the membership up to date (``commerce.memberships``).
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.memberships.services import sync_membership_from_identity_provider

from .models import ExternalIdentity, IdentityProvider, ReceivedResponse, SeenAssertion
from .selectors import linked_user


class SignInRefused(Exception):
    """Refused; ``reason`` names the message the person sees (views.REASONS)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Claims:
    """What the membership system said about the person, by meaning (not by its names)."""

    subject: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    status: str | None = None  # None: it said nothing about membership
    expires_on: datetime.date | None = None

    @classmethod
    def read(cls, *, provider: IdentityProvider, subject: str, first) -> "Claims":
        """``first(name)`` gives the first value of an attribute or claim, or ""."""
        status = first(provider.status_attribute) if provider.status_attribute else ""
        expiry = first(provider.expiry_attribute) if provider.expiry_attribute else ""
        try:
            expires_on = datetime.date.fromisoformat(expiry[:10]) if expiry else None
        except ValueError:
            expires_on = None
        return cls(
            subject=subject,
            email=first(provider.email_attribute).lower()[:254],
            first_name=first(provider.first_name_attribute)[:150],
            last_name=first(provider.last_name_attribute)[:150],
            status=status or None,
            expires_on=expires_on,
        )


@dataclass
class Outcome:
    user: object | None = None  # signed in
    needs_link: bool = False  # an account uses the e-mail: prove it with its password


def remember_assertion(*, provider: IdentityProvider, assertion_id: str, not_on_or_after: int):
    """Refuse an assertion used before; keep its id until it expires (then ``forget``)."""
    now = timezone.now()
    expires = (
        datetime.datetime.fromtimestamp(not_on_or_after, tz=datetime.UTC)
        if not_on_or_after
        else now + datetime.timedelta(hours=1)
    )
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                provider=provider, assertion_id=assertion_id[:255], not_on_or_after=expires
            )
    except IntegrityError as exc:
        raise SignInRefused("replay") from exc


def forget_expired(*, now=None, received_seconds: int = 300) -> int:
    """Drop assertion ids past their expiry (a replay of them fails the time check anyway)
    and held responses nobody came back for. Run at each post: two indexed deletes."""
    now = now or timezone.now()
    old = now - datetime.timedelta(seconds=received_seconds)
    return (
        SeenAssertion.objects.filter(not_on_or_after__lt=now).delete()[0]
        + ReceivedResponse.objects.filter(received_at__lt=old).delete()[0]
    )


def _email_taken(email: str) -> bool:
    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _sync_membership(*, provider: IdentityProvider, user, claims: Claims) -> None:
    if provider.membership_plan is None or claims.status is None:
        return
    sync_membership_from_identity_provider(
        person=user,
        plan=provider.membership_plan,
        is_member=claims.status.casefold() in provider.active_value_set(),
        ends_on=claims.expires_on,
    )


@transaction.atomic
def sign_in(*, provider: IdentityProvider, claims: Claims) -> Outcome:
    """The account for ``claims.subject`` (linked, or made now), its membership set."""
    user = linked_user(provider=provider, subject=claims.subject)
    if user is None:
        if not claims.email or "@" not in claims.email:
            raise SignInRefused("email")
        if _email_taken(claims.email):
            return Outcome(needs_link=True)
        user = get_user_model().objects.create_user(
            email=claims.email, first_name=claims.first_name, last_name=claims.last_name
        )
        EmailAddress.objects.create(user=user, email=claims.email, primary=True, verified=False)
        _link(provider=provider, subject=claims.subject, user=user)
    if not user.is_active:
        raise SignInRefused("inactive")
    ExternalIdentity.objects.filter(provider=provider, subject=claims.subject).update(
        last_sign_in_at=timezone.now()
    )
    _sync_membership(provider=provider, user=user, claims=claims)
    return Outcome(user=user)


def _link(*, provider: IdentityProvider, subject: str, user) -> None:
    if ExternalIdentity.objects.filter(provider=provider, user=user).exists():
        raise SignInRefused("linked_elsewhere")
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    except IntegrityError as exc:  # the same subject linked by a racing request
        raise SignInRefused("linked_elsewhere") from exc


@transaction.atomic
def link_with_password(*, request, provider: IdentityProvider, claims: Claims, password: str):
    """The person typed the password of the account using the e-mail: link and sign in.
    None when the password is wrong."""
    user = authenticate(request, email=claims.email, password=password)
    if user is None or not user.is_active:
        return None
    if Authenticator.objects.filter(user=user).exists():
        # A password alone does not open an account with a second factor.
        raise SignInRefused("two_factor")
    if linked_user(provider=provider, subject=claims.subject) not in (None, user):
        raise SignInRefused("linked_elsewhere")
    if linked_user(provider=provider, subject=claims.subject) is None:
        _link(provider=provider, subject=claims.subject, user=user)
    _sync_membership(provider=provider, user=user, claims=claims)
    return user

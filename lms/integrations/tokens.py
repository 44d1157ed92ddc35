"""API tokens for an association's own systems: shown once, stored as an HMAC digest.

A token reads ``attune_<prefix>_<secret>``. The prefix is public (it names the token in
lists and finds its row); the whole token is checked against the stored digest with a
constant-time comparison. The digest is HMAC-SHA256 keyed with ``ATTUNE_INTEGRATION_KEY``
(``SECRET_KEY`` when empty; ``SECRET_KEY_FALLBACKS`` are tried too, so tokens survive a key
rotation window). A copy of the database alone cannot call the API.
"""

import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from .models import AssociationApiToken

TOKEN_PREFIX = "attune_"  # noqa: S105 - a public format marker, not a credential
DIGEST_SALT = "lms.integrations.api-token"
LAST_USED_INTERVAL_SECONDS = 60


def integration_keys() -> list[str]:
    own = getattr(settings, "ATTUNE_INTEGRATION_KEY", "")
    if own:
        return [own]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def token_digest(token: str, key: str | None = None) -> str:
    key = key if key is not None else integration_keys()[0]
    return salted_hmac(DIGEST_SALT, token, secret=key, algorithm="sha256").hexdigest()


def check_manager(*, association, by) -> None:
    if not user_can(user=by, action=Action.MANAGE_INTEGRATIONS, organization=association):
        raise PermissionError("Only the association's administrators manage its integrations.")


@transaction.atomic
def create_token(*, association, name: str, by) -> tuple[AssociationApiToken, str]:
    """A new read-only token: ``(row, plaintext)``. The plaintext exists only in this return
    value; show it once."""
    check_manager(association=association, by=by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the token after what will use it.")]})
    prefix = secrets.token_hex(6)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = AssociationApiToken.objects.create(
        association=association,
        name=name[:120],
        prefix=prefix,
        digest=token_digest(plaintext),
        created_by=by,
    )
    return row, plaintext


@transaction.atomic
def revoke_token(*, token: AssociationApiToken, by) -> AssociationApiToken:
    """Revoke at once: the next request with it is refused."""
    check_manager(association=token.association, by=by)
    AssociationApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db()
    return token


def authenticate(plaintext: str) -> AssociationApiToken | None:
    """The active token ``plaintext`` is, or None. One query (and a throttled update of
    ``last_used_at``)."""
    body = (plaintext or "").strip().removeprefix(TOKEN_PREFIX)
    prefix, _sep, secret = body.partition("_")
    if body == (plaintext or "").strip() or not prefix or not secret:
        return None
    row = (
        AssociationApiToken.objects.select_related("association")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    stored = row.digest if row is not None else "0" * 64
    matched = False
    for key in integration_keys():
        # Compare against every key (and a dummy digest when there is no row) so the time
        # taken says nothing about which part was wrong.
        matched |= hmac.compare_digest(stored, token_digest(plaintext.strip(), key))
    if row is None or not matched:
        return None
    now = timezone.now()
    if (
        row.last_used_at is None
        or (now - row.last_used_at).total_seconds() >= LAST_USED_INTERVAL_SECONDS
    ):
        AssociationApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row

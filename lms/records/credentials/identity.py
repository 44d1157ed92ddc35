"""How a credential names its holder: their name (unless erased) and a salted hash of their
e-mail address, as Open Badges 3.0 ``IdentityObject``s. The salt is derived from the
credential's own identifier, so the same credential always downloads as the same bytes and
two credentials of one holder cannot be linked by their hashes."""

import hashlib
import hmac

from django.conf import settings


def identity_salt(seed) -> str:
    """A salt for the holder's e-mail hash, stable for ``seed`` (a credential's own id)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(seed).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def holder_identifiers(*, email: str, salt: str, name: str | None) -> list[dict]:
    """The holder's identifiers: ``name`` in clear when given (an erased holder's credential
    names nobody), then the salted SHA-256 of their e-mail address as it was."""
    email_hash = hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    named = (
        [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": name,
            }
        ]
        if name
        else []
    )
    return [
        *named,
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": f"sha256${email_hash}",
            "salt": salt,
        },
    ]

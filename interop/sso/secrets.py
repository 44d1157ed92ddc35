"""Membership systems' OpenID Connect client secrets at rest: Fernet under a key derived
(HKDF-SHA256) from ``ATTUNE_SSO_SECRETS_KEY`` (``SECRET_KEY`` when empty); decryption also
tries ``ATTUNE_SSO_SECRETS_KEY_FALLBACKS``, so the key can be rotated."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> MultiFernet:
    passphrases = [
        settings.ATTUNE_SSO_SECRETS_KEY or settings.SECRET_KEY,
        *settings.ATTUNE_SSO_SECRETS_KEY_FALLBACKS,
    ]
    keys = []
    for passphrase in passphrases:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"attune.interop.sso", info=b"fernet"
        ).derive(passphrase.encode("utf-8"))
        keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def decrypt(token: str) -> str:
    """The secret, or "" when it cannot be read under the keys this installation has."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return ""

"""A learning record store's secret at rest: Fernet under a key derived (HKDF-SHA256) from
``ATTUNE_XAPI_KEY`` (``SECRET_KEY`` when empty), with ``ATTUNE_XAPI_KEY_FALLBACKS`` tried
when decrypting so the key can be rotated. The secret is sent to the LRS and never shown
back to anyone."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key this installation no longer has."""


def _fernet_for(passphrase: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"attune.integrations.xapi", info=b"fernet"
    ).derive(passphrase.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> MultiFernet:
    passphrases = [
        getattr(settings, "ATTUNE_XAPI_KEY", "") or settings.SECRET_KEY,
        *getattr(settings, "ATTUNE_XAPI_KEY_FALLBACKS", []),
    ]
    return MultiFernet([_fernet_for(p) for p in passphrases])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretUnreadable(
            "An LRS secret cannot be decrypted with this ATTUNE_XAPI_KEY (nor its fallbacks)."
        ) from exc

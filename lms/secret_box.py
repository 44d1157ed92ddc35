"""Secrets Attune keeps for an association (Stripe keys, an LRS's secret, a membership
system's client secret) at rest: Fernet under a key derived (HKDF-SHA256) from a setting
(``SECRET_KEY`` when that setting is empty). Decryption also tries the setting's
``_FALLBACKS`` list, the keys it replaced, so each key can be rotated on its own."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key this installation no longer has."""


class SecretBox:
    """One kind of secret: ``setting`` names its key, ``salt`` keeps kinds apart even when
    they share ``SECRET_KEY``, ``what`` names the secret in the error an operator reads."""

    def __init__(self, *, setting: str, salt: bytes, what: str):
        self.setting, self.salt, self.what = setting, salt, what

    def _fernet_for(self, passphrase: str) -> Fernet:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=self.salt, info=b"fernet")
        return Fernet(base64.urlsafe_b64encode(derived.derive(passphrase.encode("utf-8"))))

    def _fernet(self) -> MultiFernet:
        passphrases = [
            getattr(settings, self.setting, "") or settings.SECRET_KEY,
            *getattr(settings, f"{self.setting}_FALLBACKS", []),
        ]
        return MultiFernet([self._fernet_for(p) for p in passphrases])

    def encrypt(self, value: str) -> str:
        return self.encrypt_bytes(value.encode("utf-8")).decode("ascii") if value else ""

    def decrypt(self, token: str) -> str:
        return self.decrypt_bytes(token.encode("ascii")).decode("utf-8") if token else ""

    def encrypt_bytes(self, data: bytes) -> bytes:
        return self._fernet().encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet().decrypt(token)
        except InvalidToken as exc:
            raise SecretUnreadable(self._unreadable()) from exc

    def rotate(self, token: bytes) -> bytes:
        """The same secret encrypted under the current key (read with any fallback)."""
        try:
            return self._fernet().rotate(token)
        except InvalidToken as exc:
            raise SecretUnreadable(self._unreadable()) from exc

    def _unreadable(self) -> str:
        return f"{self.what} cannot be decrypted with this {self.setting} (nor its fallbacks)."

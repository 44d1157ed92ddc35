"""Secrets at rest: one box per kind of secret, rotation through the fallbacks, and the
issuer keys' stored format kept readable (they used their own copy of the box before)."""

import base64

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lms.records.credentials import keys
from lms.secret_box import SecretBox, SecretUnreadable

BOX = SecretBox(setting="ATTUNE_TEST_BOX_KEY", salt=b"attune.tests.box", what="A test secret")


def test_text_and_bytes_go_in_and_come_out(settings):
    settings.ATTUNE_TEST_BOX_KEY = "first-key-" + "a" * 40
    token = BOX.encrypt("lrs-secret")
    assert token and "lrs-secret" not in token and BOX.decrypt(token) == "lrs-secret"
    assert BOX.encrypt("") == "" and BOX.decrypt("") == ""
    raw = bytes(range(32))
    assert BOX.decrypt_bytes(BOX.encrypt_bytes(raw)) == raw


def test_a_new_key_reads_old_secrets_through_its_fallbacks_and_rotates_them(settings):
    settings.ATTUNE_TEST_BOX_KEY = "old-key-" + "o" * 40
    token = BOX.encrypt_bytes(b"signing key")
    settings.ATTUNE_TEST_BOX_KEY = "new-key-" + "n" * 40
    with pytest.raises(SecretUnreadable, match="A test secret cannot be decrypted"):
        BOX.decrypt_bytes(token)
    with pytest.raises(SecretUnreadable):
        BOX.rotate(token)
    settings.ATTUNE_TEST_BOX_KEY_FALLBACKS = ["old-key-" + "o" * 40]
    rotated = BOX.rotate(token)
    settings.ATTUNE_TEST_BOX_KEY_FALLBACKS = []
    assert BOX.decrypt_bytes(rotated) == b"signing key"


def test_issuer_keys_stored_before_the_shared_box_still_decrypt(settings):
    """The stored format is Fernet under HKDF-SHA256(key, salt "attune.records.issuer-keys",
    info "fernet"): a database backed up before keeps working."""
    settings.ATTUNE_CREDENTIAL_KEY = "credential-key-" + "c" * 40
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"attune.records.issuer-keys", info=b"fernet"
    ).derive(settings.ATTUNE_CREDENTIAL_KEY.encode())
    stored = Fernet(base64.urlsafe_b64encode(derived)).encrypt(b"raw private key")
    assert keys._box.decrypt_bytes(stored) == b"raw private key"

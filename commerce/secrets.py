"""Associations' Stripe secrets at rest, under ``ATTUNE_PAYMENTS_KEY`` (lms/secret_box.py)."""

from lms.secret_box import SecretBox, SecretUnreadable  # noqa: F401

_box = SecretBox(
    setting="ATTUNE_PAYMENTS_KEY", salt=b"attune.commerce.stripe", what="A Stripe secret"
)
encrypt, decrypt = _box.encrypt, _box.decrypt

"""The permission grid's rows for payments' checkout URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401

EXPECTED = {}

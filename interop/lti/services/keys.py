"""Attune's own signing key as an LTI tool: one active RSA key, made the first time it is
needed, published as a JWKS for platforms to check what Attune signs."""

from django.db import transaction
from lti_tool.models import Key


def tool_key() -> Key:
    """The active key, made on first use. Two first uses at once may both make one: both
    are published, and either signature checks out."""
    key = Key.objects.active().order_by("-datetime_created").first()
    if key is not None:
        return key
    with transaction.atomic():
        return Key.objects.generate()


def published_keys() -> dict:
    """The active keys as a JWKS (empty until the first platform is connected)."""
    return Key.objects.as_jwks()

"""Membership systems' OpenID Connect client secrets at rest, under ``ATTUNE_SSO_SECRETS_KEY``
(lms/secret_box.py)."""

import logging

from lms.secret_box import SecretBox, SecretUnreadable

logger = logging.getLogger(__name__)

_box = SecretBox(
    setting="ATTUNE_SSO_SECRETS_KEY",
    salt=b"attune.interop.sso",
    what="A membership system's secret",
)
encrypt = _box.encrypt


def decrypt(token: str) -> str:
    """The secret, or "" when it cannot be read under the keys this installation has (the
    operator is told in the log; the sign-in then fails at the membership system)."""
    try:
        return _box.decrypt(token)
    except SecretUnreadable as exc:
        logger.error("%s", exc)
        return ""

"""A learning record store's secret at rest, under ``ATTUNE_XAPI_KEY`` (lms/secret_box.py).
The secret is sent to the LRS and never shown back to anyone."""

from lms.secret_box import SecretBox, SecretUnreadable  # noqa: F401

_box = SecretBox(setting="ATTUNE_XAPI_KEY", salt=b"attune.integrations.xapi", what="An LRS secret")
encrypt, decrypt = _box.encrypt, _box.decrypt

"""What accounts announce. Other apps listen; accounts import no listener.

Sent inside the transaction that made the change, right after it."""

from django.dispatch import Signal

#: A person took a consent back. kwargs: ``user``, ``organization``, ``scope``.
consent_revoked = Signal()

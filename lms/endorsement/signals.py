"""What applications announce. Sent inside the transaction that made the change; listeners
that talk to the outside world defer with ``transaction.on_commit``."""

from django.dispatch import Signal

#: A decision was recorded on an application. kwargs: ``application``, ``decision``.
application_decided = Signal()

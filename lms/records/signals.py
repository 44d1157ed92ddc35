"""What records announce. Other apps listen; records import no listener.

Each signal is sent inside the transaction that made the change, right after it, with
``sender`` the record's concrete class and ``record`` the record. A listener that talks to
the outside world (e-mail, webhooks) should defer that work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

#: A new record exists. kwargs: ``record``.
record_issued = Signal()

#: A record was corrected. kwargs: ``record``, ``amendment`` (a ``RecordAmendment``).
record_amended = Signal()

#: A record was revoked. kwargs: ``record``.
record_revoked = Signal()

#: A supervisor confirmed or declined an RSC session. kwargs: ``record`` (an ``RSCSession``).
rsc_cosignature_decided = Signal()

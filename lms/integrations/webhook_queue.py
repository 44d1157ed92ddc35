"""The webhook queue: the database is the queue of record, the broker holds a bounded few.

A pending delivery is put on the broker only while it holds no lease (``queued_until``): it is
leased when queued, kept leased while it is attempted or waits for a short countdown retry, and
released when the attempt is over. A message lost with its worker is queued again once the
lease has run out, never twice while it holds.

Two caps bound the broker: each endpoint has at most ``per_endpoint_limit()`` deliveries
leased (in flight at a receiver, or queued for it), and the platform at most ``queue_cap()``
(fewer still if other messages already wait on the broker's queue). What is not queued waits
in the database for the next pass: after each attempt, at worker start and every minute.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# Any fixed number: the PostgreSQL advisory lock that makes queueing passes take turns.
_LOCK_KEY = 0x57EB400C


def per_endpoint_limit() -> int:
    return max(1, int(getattr(settings, "ATTUNE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", 4)))


def queue_cap() -> int:
    return max(1, int(getattr(settings, "ATTUNE_WEBHOOK_MAX_QUEUED", 50)))


def queue_lease() -> datetime.timedelta:
    """How long a queued message is trusted to reach a worker before it is queued again."""
    return datetime.timedelta(
        seconds=float(getattr(settings, "ATTUNE_WEBHOOK_QUEUE_LEASE_SECONDS", 600))
    )


def short_retry() -> datetime.timedelta:
    """Retries sooner than this keep their lease and wait as a countdown message; later ones
    are released to the database and queued by a pass when due."""
    return datetime.timedelta(
        seconds=float(getattr(settings, "ATTUNE_WEBHOOK_COUNTDOWN_SECONDS", 60))
    )


def _unleased(now) -> Q:
    return Q(queued_until__isnull=True) | Q(queued_until__lte=now)


def _take_turns() -> None:
    """Serialize passes so two cannot both fill the same free slots. SQLite serializes
    writers itself; PostgreSQL takes a lock held to the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def lease_due(*, waiting_on_broker: int = 0) -> list[int]:
    """Lease the due deliveries that fit under the caps and return their ids, for the caller
    to queue once the transaction commits. ``waiting_on_broker``: messages the broker's queue
    holds now, whoever sent them."""
    with transaction.atomic():
        _take_turns()
        now = timezone.now()
        leased = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, queued_until__gt=now)
        room = queue_cap() - max(leased.count(), waiting_on_broker)
        if room <= 0:
            return []
        busy = dict(leased.values("endpoint").annotate(n=Count("pk")).values_list("endpoint", "n"))
        due = WebhookDelivery.objects.filter(
            _unleased(now), status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        endpoints = (
            WebhookEndpoint.objects.filter(
                is_active=True, disabled_at__isnull=True, pk__in=due.values("endpoint")
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = []
        for endpoint_id in endpoints:
            slots = min(per_endpoint_limit() - busy.get(endpoint_id, 0), room - len(chosen))
            if slots > 0:
                chosen += (
                    due.filter(endpoint_id=endpoint_id)
                    .order_by("next_attempt_at", "pk")
                    .values_list("pk", flat=True)[:slots]
                )
            if len(chosen) >= room:
                break
        if chosen:
            WebhookDelivery.objects.filter(_unleased(now), pk__in=chosen).update(
                queued_until=now + queue_lease()
            )
        return chosen


def release(delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(queued_until=None)

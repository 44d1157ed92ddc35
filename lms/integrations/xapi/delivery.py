"""Sending statements: the database is the queue of record, the broker holds a bounded few.

A store has at most one batch queued or being sent (its ``queued_until`` lease), and at
most ``ATTUNE_XAPI_MAX_QUEUED`` stores have one at a time; the rest wait in the database
for the next pass (after each batch, at worker start and every minute). A batch is up to
``ATTUNE_XAPI_BATCH_SIZE`` due statements in one POST. A store that is down or refuses
puts the batch off with the webhooks' backoff (``webhooks.retry_delay``); statements are
given up only after ``ATTUNE_XAPI_RETRY_HOURS``. A batch the store calls malformed is
split until the statement at fault is found, so one bad statement holds up no other.
Consent is checked again for every statement when its batch is sent.
"""

import base64
import datetime
import json
import logging
from dataclasses import dataclass

import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.accounts.models import ConsentScope, SharingConsent
from lms.integrations import webhook_queue, webhooks

from . import secrets
from .models import LearningRecordStore, StatementStatus, XapiStatement

logger = logging.getLogger(__name__)


def batch_size() -> int:
    return max(1, int(getattr(settings, "ATTUNE_XAPI_BATCH_SIZE", 50)))


def batch_lease() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=float(getattr(settings, "ATTUNE_XAPI_BATCH_LEASE_SECONDS", 120))
    )


def queue_cap() -> int:
    return max(1, int(getattr(settings, "ATTUNE_XAPI_MAX_QUEUED", 20)))


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "ATTUNE_XAPI_RETRY_HOURS", 72)))


def _unleased(now) -> Q:
    return Q(queued_until__isnull=True) | Q(queued_until__lte=now)


def _due(now):
    return XapiStatement.objects.filter(status=StatementStatus.PENDING, next_attempt_at__lte=now)


def lease_due_stores() -> list[int]:
    """Lease the switched-on stores with due statements that fit under the cap, and return
    their ids for the caller to queue once the transaction commits."""
    now = timezone.now()
    stores = LearningRecordStore.objects.filter(is_active=True)
    room = queue_cap() - stores.filter(queued_until__gt=now).count()
    if room <= 0:
        return []
    candidates = (
        stores.filter(_unleased(now), pk__in=_due(now).values("store_id"))
        .order_by("last_success_at", "pk")
        .values_list("pk", flat=True)[:room]
    )
    chosen = []
    for store_id in candidates:
        # The conditional update is the claim: two passes never both lease one store.
        if LearningRecordStore.objects.filter(_unleased(now), pk=store_id).update(
            queued_until=now + webhook_queue.queue_lease()
        ):
            chosen.append(store_id)
    return chosen


def _claim(store_id: int):
    """Lock the store, drop what may no longer be sent, and lease one batch: ``(store,
    statements)`` or None."""
    now = timezone.now()
    store = (
        LearningRecordStore.objects.select_for_update()
        .select_related("association")
        .filter(pk=store_id)
        .first()
    )
    if store is None:
        return None
    if not store.is_active:
        store.queued_until = None
        store.save(update_fields=["queued_until"])
        return None
    due = _due(now).filter(store=store)
    expired = due.filter(created_at__lt=now - retry_window())
    expired.update(status=StatementStatus.FAILED, next_attempt_at=None)
    sharing = SharingConsent.objects.active().filter(
        organization_id=store.association_id, scope=ConsentScope.LEARNING_ACTIVITY
    )
    due.exclude(learner_id__in=sharing.values("user_id")).update(
        status=StatementStatus.CANCELLED,
        next_attempt_at=None,
        last_error="The learner no longer shares learning activity with the association.",
    )
    batch = list(due.select_for_update().order_by("created_at", "pk")[: batch_size()])
    lease = now + batch_lease()
    store.queued_until = lease  # in flight: no other batch for this store meanwhile
    store.save(update_fields=["queued_until"])
    if batch:
        XapiStatement.objects.filter(pk__in=[s.pk for s in batch]).update(next_attempt_at=lease)
        for statement in batch:
            statement.attempts += 1
        XapiStatement.objects.bulk_update(batch, ["attempts"])
    return store, batch


def auth_headers(store: LearningRecordStore) -> dict:
    token = base64.b64encode(f"{store.key}:{secrets.decrypt(store.secret_encrypted)}".encode())
    return {
        "Authorization": f"Basic {token.decode('ascii')}",
        "X-Experience-API-Version": store.version,
        "User-Agent": "Attune-xAPI/1",
    }


def _send(store, batch) -> tuple[int | None, str]:
    body = json.dumps([s.body for s in batch], separators=(",", ":")).encode()
    headers = {**auth_headers(store), "Content-Type": "application/json"}
    try:
        return webhooks._post(store.statements_url, body, headers)
    except (webhooks.UnsafeURL, secrets.SecretUnreadable) as exc:
        return None, str(exc)[:300]
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]


def _malformed(status) -> bool:
    return status is not None and 400 <= status < 500 and status not in (401, 403, 408, 429)


def _post_in_parts(store, batch) -> list[tuple[list, int | None, str]]:
    """Send ``batch``; a batch the store calls malformed is split in halves until each
    statement it refuses stands alone. Returns ``(statements, status, error)`` parts."""
    status, excerpt = _send(store, batch)
    if _malformed(status) and len(batch) > 1:
        middle = len(batch) // 2
        return _post_in_parts(store, batch[:middle]) + _post_in_parts(store, batch[middle:])
    return [(batch, status, excerpt)]


@dataclass(frozen=True)
class BatchOutcome:
    sent: int = 0
    refused: int = 0
    waiting: int = 0
    more: bool = False


def send_batch(*, store_id: int) -> BatchOutcome:
    """Send one batch of the store's due statements; safe to call twice."""
    with transaction.atomic():
        claimed = _claim(store_id)
    if claimed is None:
        return BatchOutcome()
    store, batch = claimed
    parts = _post_in_parts(store, batch) if batch else []
    return _record(store, parts)


@transaction.atomic
def _record(store, parts) -> BatchOutcome:
    now = timezone.now()
    sent = refused = waiting = 0
    last_error = ""
    for rows, status, excerpt in parts:
        ids = [row.pk for row in rows]
        pending = XapiStatement.objects.filter(pk__in=ids, status=StatementStatus.PENDING)
        if status is not None and 200 <= status < 300:
            sent += pending.update(
                status=StatementStatus.SUCCEEDED,
                delivered_at=now,
                next_attempt_at=None,
                last_status_code=status,
                last_error="",
            )
        elif _malformed(status):
            # The store will never take this statement as it is.
            refused += pending.update(
                status=StatementStatus.FAILED,
                next_attempt_at=None,
                last_status_code=status,
                last_error=excerpt[:300],
            )
            logger.warning("LRS %s refused statement(s) %s: %s", store.pk, ids, excerpt[:200])
        else:
            last_error = excerpt[:300] or f"HTTP {status}"
            attempts = max(row.attempts for row in rows)
            waiting += pending.update(
                next_attempt_at=now + webhooks.retry_delay(attempts),
                last_status_code=status,
                last_error=last_error,
            )
    fields = {"queued_until": None}
    if sent:
        fields["last_success_at"] = now
    if last_error or sent:
        fields["last_error"] = last_error
    LearningRecordStore.objects.filter(pk=store.pk).update(**fields)
    more = not waiting and _due(timezone.now()).filter(store_id=store.pk).exists()
    return BatchOutcome(sent=sent, refused=refused, waiting=waiting, more=more)

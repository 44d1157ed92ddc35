"""Celery tasks that send xAPI statements (the ``default`` queue). They take ids and are
safe to run twice; ``queue_due_batches`` runs after every batch, at worker start and in the
integrations' minute sweep (``lms.integrations.tasks.retry_due_webhooks``)."""

import logging

from celery import shared_task
from django.db import transaction

from . import delivery

logger = logging.getLogger(__name__)


@shared_task(name="lms.integrations.xapi.send_statements", acks_late=True)
def send_statements(store_id: int) -> dict:
    outcome = delivery.send_batch(store_id=store_id)
    queue_due_batches()
    return {"sent": outcome.sent, "refused": outcome.refused, "waiting": outcome.waiting}


def queue_due_batches() -> int:
    """Queue one batch per store with due statements, under the cap; the rest wait."""
    with transaction.atomic():
        store_ids = delivery.lease_due_stores()
        for store_id in store_ids:
            transaction.on_commit(
                lambda pk=store_id: send_statements.apply_async(args=[pk]), robust=True
            )
    return len(store_ids)


def queue_on_commit() -> None:
    """For the web process: a pass once the transaction that queued statements commits."""
    transaction.on_commit(_queue_safely, robust=True)


def _queue_safely() -> None:
    try:
        queue_due_batches()
    except Exception:
        logger.exception("Could not queue xAPI statements; the minute sweep will")

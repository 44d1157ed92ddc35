"""Celery tasks on the ``default`` queue: the thin layer that runs the webhook services and
queues what they leave to send. They take ids and are safe to run twice.

The database is the queue of record (``webhook_queue``): a queueing pass leases the due
deliveries that fit under the caps and sends one message each once the transaction commits.
A pass runs after every attempt (to fill the place it freed), when a worker starts, every
minute (``retry_due_webhooks``) and when events are recorded or an admin sends again.
"""

import logging

from celery import current_app, shared_task
from celery.signals import worker_ready
from django.db import transaction

from . import webhook_queue, webhooks
from .xapi import receivers as _xapi_receivers  # noqa: F401 - connects the xAPI listeners
from .xapi import tasks as xapi_tasks

logger = logging.getLogger(__name__)


def _send(delivery_ids, *, countdown: float = 0) -> None:
    for delivery_id in delivery_ids:
        transaction.on_commit(
            lambda pk=delivery_id: deliver_webhook.apply_async(args=[pk], countdown=countdown),
            # A message that could not be sent is sent by a pass once its lease runs out.
            robust=True,
        )


def waiting_on_broker(queue: str = "default") -> int:
    """How many messages the broker's queue holds now (0 if the broker cannot say)."""
    try:
        with current_app.connection_for_read() as conn:
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
    except Exception:
        logger.warning("Could not read the length of the %s queue", queue, exc_info=True)
        return 0


@shared_task(name="lms.integrations.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    attempted = webhooks.deliver(delivery_id)
    if attempted.retry_in is not None:
        with transaction.atomic():
            _send([delivery_id], countdown=max(0.0, attempted.retry_in.total_seconds()))
    queue_due_deliveries()
    return attempted.status


def queue_due_deliveries() -> int:
    """Queue what is due and fits under the caps; the rest waits in the database."""
    with transaction.atomic():
        due = webhook_queue.lease_due(waiting_on_broker=waiting_on_broker())
        _send(due)
    return len(due)


def queue_due_on_commit() -> None:
    """For the web process: a pass once the transaction that recorded events commits."""
    transaction.on_commit(queue_due_deliveries, robust=True)


@shared_task(name="lms.integrations.tasks.retry_due_webhooks")
def retry_due_webhooks() -> int:
    # The same minute sweep queues the xAPI statements that are due (lms/integrations/xapi).
    xapi_tasks.queue_due_batches()
    return queue_due_deliveries()


@worker_ready.connect
def _queue_due_webhooks(sender=None, **kwargs):
    try:
        queue_due_deliveries()
    except Exception:
        logger.exception("Could not queue due webhook deliveries at worker start")
    try:
        xapi_tasks.queue_due_batches()
    except Exception:
        logger.exception("Could not queue due xAPI statements at worker start")

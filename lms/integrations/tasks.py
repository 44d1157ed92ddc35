"""Celery tasks on the ``default`` queue: the thin layer that runs the webhook services and
queues what they leave to send. They take ids and are safe to run twice. Webhook retries are
rows (``WebhookDelivery.next_attempt_at``), so the periodic sweep and a worker starting up
queue whatever is due even if a countdown message was lost.

Services never queue (as in ``media_pipeline.tasks``): they return what is to be sent, and
:func:`queue_deliveries` here turns it into messages once the transaction commits, for these
tasks, the signal receivers and the admin's "send again".
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import transaction

from . import webhooks

logger = logging.getLogger(__name__)


def queue_deliveries(delivery_ids, *, countdown: float = 0) -> None:
    for delivery_id in delivery_ids:
        transaction.on_commit(
            lambda pk=delivery_id: deliver_webhook.apply_async(args=[pk], countdown=countdown)
        )


@shared_task(name="lms.integrations.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    attempted = webhooks.deliver(delivery_id)
    if attempted.retry_in is not None:
        queue_deliveries([delivery_id], countdown=max(0.0, attempted.retry_in.total_seconds()))
    return attempted.status


def queue_due_deliveries() -> int:
    due = webhooks.due_delivery_ids()
    queue_deliveries(due)
    return len(due)


@shared_task(name="lms.integrations.tasks.retry_due_webhooks")
def retry_due_webhooks() -> int:
    return queue_due_deliveries()


@worker_ready.connect
def _queue_due_webhooks(sender=None, **kwargs):
    try:
        queue_due_deliveries()
    except Exception:
        logger.exception("Could not queue due webhook deliveries at worker start")

"""Celery tasks on the ``default`` queue: thin wrappers that take ids and are safe to run
twice. Webhook retries are rows (``WebhookDelivery.next_attempt_at``), so the periodic sweep
and a worker starting up queue whatever is due even if a countdown message was lost.

Services queue these directly (``webhooks`` imports this module); a task imports the service
it runs when it runs, so no import loop exists between the two.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready

logger = logging.getLogger(__name__)


@shared_task(name="lms.integrations.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    from .webhooks import deliver

    return deliver(delivery_id)


@shared_task(name="lms.integrations.tasks.retry_due_webhooks")
def retry_due_webhooks() -> int:
    from .webhooks import enqueue_due

    return enqueue_due()


@worker_ready.connect
def _queue_due_webhooks(sender=None, **kwargs):
    from .webhooks import enqueue_due

    try:
        enqueue_due()
    except Exception:
        logger.exception("Could not queue due webhook deliveries at worker start")

"""Celery tasks on the ``default`` queue: thin wrappers that take ids and are safe to run
twice. Webhook retries are rows (``WebhookDelivery.next_attempt_at``), so the periodic sweep
and a worker starting up queue whatever is due even if a countdown message was lost."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from . import applications, webhooks

logger = logging.getLogger(__name__)


@shared_task(name="lms.endorsement.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.deliver(delivery_id)


@shared_task(name="lms.endorsement.tasks.retry_due_webhooks")
def retry_due_webhooks() -> int:
    return webhooks.enqueue_due()


@shared_task(name="lms.endorsement.tasks.send_renewal_reminders")
def send_renewal_reminders() -> int:
    return applications.send_renewal_reminders()


@worker_ready.connect
def _queue_due_webhooks(sender=None, **kwargs):
    try:
        webhooks.enqueue_due()
    except Exception:
        logger.exception("Could not queue due webhook deliveries at worker start")

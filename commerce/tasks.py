"""Payments' periodic work (the beat schedule is in lms/settings/base.py)."""

from celery import shared_task

from .services import orders


@shared_task(name="commerce.tasks.expire_abandoned_orders")
def expire_abandoned_orders() -> int:
    """Idempotent: each order is re-read under its lock before it is cancelled."""
    return orders.expire_abandoned_orders()

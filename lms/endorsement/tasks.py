"""Celery tasks on the ``default`` queue: thin wrappers over services, safe to run twice.
Tasks import services; services never queue tasks (the same direction in every app)."""

from celery import shared_task

from .services import renewals


@shared_task(name="lms.endorsement.tasks.send_renewal_reminders")
def send_renewal_reminders() -> int:
    return renewals.send_renewal_reminders()

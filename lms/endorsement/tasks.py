"""Celery tasks on the ``default`` queue: thin wrappers that take ids and are safe to run
twice. A task imports the service it runs when it runs (services may queue tasks)."""

from celery import shared_task


@shared_task(name="lms.endorsement.tasks.send_renewal_reminders")
def send_renewal_reminders() -> int:
    from .services.renewals import send_renewal_reminders

    return send_renewal_reminders()

"""Daily membership upkeep (Celery beat): lapse what ended, remind what ends soon. Thin
wrappers over services, safe to run twice."""

from celery import shared_task

from . import reminders, services


@shared_task(name="commerce.memberships.tasks.lapse_memberships")
def lapse_memberships() -> int:
    return services.lapse_ended_memberships()


@shared_task(name="commerce.memberships.tasks.send_membership_reminders")
def send_membership_reminders() -> int:
    return reminders.send_membership_reminders()

"""Celery tasks of LTI Advantage services, on the ``default`` queue. They take ids and are
safe to run twice (``services.grades.deliver`` leases the row before it calls out)."""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import transaction

from .services import grades, roster_pulls

logger = logging.getLogger(__name__)


@shared_task(name="interop.lti.tasks.deliver_grade", acks_late=True)
def deliver_grade(delivery_id: int) -> str:
    """Send one score to a platform's grade book; while the platform is down, try again
    after a backoff (the row keeps when, so a lost message is found by the sweep)."""
    attempted = grades.deliver(delivery_id)
    if attempted.status == "pending" and attempted.retry_in is not None:
        deliver_grade.apply_async(
            args=[delivery_id], countdown=max(1.0, attempted.retry_in.total_seconds())
        )
    return attempted.status


def send_after_commit(delivery_ids) -> None:
    """Queue each delivery once the transaction that owed it commits."""
    for pk in delivery_ids:
        transaction.on_commit(
            lambda pk=pk: deliver_grade.apply_async(args=[pk]),
            # A message the broker refused is sent by the sweep (retry_due_grades).
            robust=True,
        )


@shared_task(name="interop.lti.tasks.retry_due_grades")
def retry_due_grades() -> int:
    """Every due score whose message a worker lost (or the broker refused)."""
    due = grades.due_deliveries()
    for pk in due:
        deliver_grade.apply_async(args=[pk])
    return len(due)


@shared_task(name="interop.lti.tasks.sync_roster", acks_late=True)
def sync_roster(context_id: int) -> str:
    """Pull a platform context's roster (idempotent: members are updated in place; a pull
    already finished is not run again) and keep the result for the admin's screen."""
    pull = roster_pulls.run(context_id=context_id)
    return pull.status if pull is not None else "gone"


def pull_roster_after_commit(*, context, by=None) -> bool:
    """Claim a pull of the context's roster and queue it once the request commits; False
    (nothing queued) while another pull of it is under way."""
    if not roster_pulls.claim(context=context, by=by):
        return False
    transaction.on_commit(
        lambda pk=context.pk: sync_roster.apply_async(args=[pk]),
        # A message the broker refused leaves the pull "under way" until it is stale; the
        # admin can then ask again.
        robust=True,
    )
    return True


@worker_ready.connect
def _send_due_grades(sender=None, **kwargs):
    try:
        retry_due_grades()
    except Exception:
        logger.exception("Could not queue due LTI grades at worker start")

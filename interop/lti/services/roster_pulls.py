"""Roster pulls of a platform course: at most one under way per course, and the last result.

An admin's pull is claimed here and run by a worker (``tasks.sync_roster``, queued after
the request commits); an instructor's pull is claimed and run in the request. While a pull
runs, another request for the same course is refused (a double click does the work once).
A pull whose worker vanished is given up after ``STALE_AFTER``: the next request claims it.
"""

import dataclasses
import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from lti_tool.models import LtiContext

from ..models_services import RosterPull, RosterPullError, RosterPullStatus
from . import roster

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=15)


def claim(*, context: LtiContext, by=None) -> bool:
    """Mark a pull of ``context`` as under way; False if one already is (nothing changed)."""
    now = timezone.now()
    user = by if by is not None and by.is_authenticated else None
    claimed = (
        RosterPull.objects.filter(context=context)
        .exclude(status=RosterPullStatus.PULLING, requested_at__gt=now - STALE_AFTER)
        .update(status=RosterPullStatus.PULLING, requested_at=now, requested_by=user)
    )
    if claimed:
        return True
    if RosterPull.objects.filter(context=context).exists():
        return False
    try:
        with transaction.atomic():
            RosterPull.objects.create(
                context=context,
                status=RosterPullStatus.PULLING,
                requested_at=now,
                requested_by=user,
            )
    except IntegrityError:
        # Another request made the row first: that one is the pull.
        return False
    return True


def _finish(context_id: int, *, result=None, error: str = "") -> None:
    RosterPull.objects.filter(context_id=context_id).update(
        status=RosterPullStatus.FAILED if error else RosterPullStatus.DONE,
        finished_at=timezone.now(),
        succeeded=not error,
        members=result.members if result else None,
        learners=result.learners if result else None,
        error=error,
    )


def run(*, context_id: int) -> RosterPull | None:
    """Pull the roster of a claimed context (the worker's side, or an instructor's request).

    A pull that is not under way (a message delivered twice after it finished) does nothing;
    a context without a claim (called directly) is pulled all the same."""
    pull = RosterPull.objects.filter(context_id=context_id).first()
    if pull is not None and pull.status != RosterPullStatus.PULLING:
        return pull
    if not LtiContext.objects.filter(pk=context_id).exists():
        return None
    try:
        result = roster.sync_roster(context_id=context_id)
    except roster.RosterError:
        _finish(context_id, error=RosterPullError.NOT_SHARED)
    except Exception:
        logger.exception("Could not pull the roster of LTI context %s", context_id)
        _finish(context_id, error=RosterPullError.NO_ANSWER)
    else:
        _finish(context_id, result=result)
    return RosterPull.objects.filter(context_id=context_id).first()


def pull_now(*, context: LtiContext, by=None) -> RosterPull | None:
    """Claim and run a pull in this request; None if one is already under way."""
    if not claim(context=context, by=by):
        return None
    return run(context_id=context.pk)


@dataclasses.dataclass(frozen=True)
class CourseRow:
    """A platform course on the admin's screen, with its pull (None before the first)."""

    context: LtiContext
    pull: RosterPull | None

    @property
    def pulling(self) -> bool:
        return (
            self.pull is not None
            and self.pull.status == RosterPullStatus.PULLING
            and self.pull.requested_at > timezone.now() - STALE_AFTER
        )


def course_rows(*, contexts) -> list[CourseRow]:
    contexts = list(contexts)
    pulls = {
        pull.context_id: pull
        for pull in RosterPull.objects.filter(context_id__in=[c.pk for c in contexts])
    }
    return [CourseRow(context=c, pull=pulls.get(c.pk)) for c in contexts]

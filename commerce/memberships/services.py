"""Writes on association memberships: starting or renewing one (a paid MEMBERSHIP order
line, or an admin recording dues paid by check), cancelling, lapsing and the reminders
before expiry.

One running (ACTIVE) membership per person and association, held by the database; each
period paid or recorded is a ``MembershipTerm``. While a membership runs, the endorsement
checklist's membership item is ticked for its holder (``lms.endorsement`` services: this
app calls them, never the reverse); it goes when the membership lapses or is cancelled.
"""

import calendar
import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.endorsement.services.checklist import tick_membership, untick_membership
from lms.organizations.models import OrganizationKind
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from .models import (
    AssociationMembership,
    MembershipPlan,
    MembershipSource,
    MembershipStatus,
    MembershipTerm,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def term_dates(*, plan: MembershipPlan, starts_on: datetime.date) -> tuple:
    """A term of the plan's length from ``starts_on``: 12 months from 1 March end on the last
    day of February."""
    return starts_on, add_months(starts_on, plan.length_months) - datetime.timedelta(days=1)


def _lock_running(person, association) -> AssociationMembership | None:
    return (
        AssociationMembership.objects.select_for_update()
        .filter(person=person, association=association, status=MembershipStatus.ACTIVE)
        .first()
    )


def _lapse(membership: AssociationMembership, *, actor=None) -> None:
    membership.status = MembershipStatus.LAPSED
    membership.save(update_fields=["status", "updated_at"])
    untick_membership(learner=membership.person, association=membership.association)
    record_event(
        action=AuditAction.MEMBERSHIP_LAPSED,
        organization=membership.association,
        target=membership,
        actor=actor,
        details={"ended_on": membership.ends_on.isoformat()},
    )


@transaction.atomic
def add_term(
    *,
    person,
    plan: MembershipPlan,
    source: str,
    amount: int = 0,
    order_line=None,
    recorded_by=None,
    note: str = "",
    today: datetime.date | None = None,
    starts_on: datetime.date | None = None,
) -> MembershipTerm:
    """Join, or renew: a running membership is extended from its end date (renewing early
    loses no day); otherwise a new membership starts on ``starts_on`` (today by default).
    Idempotent per order line."""
    if order_line is not None:
        done = MembershipTerm.objects.filter(order_line=order_line).first()
        if done is not None:
            return done
    association = plan.association
    if association.kind != OrganizationKind.ASSOCIATION:
        raise ValidationError(_("Only an association has members."))
    today = today or timezone.localdate()
    membership = _lock_running(person, association)
    if membership is not None and membership.ends_on < today:
        # Past its end but not yet marked by the daily task: it lapsed.
        _lapse(membership)
        membership = None
    if membership is None:
        starts_on, ends_on = term_dates(plan=plan, starts_on=starts_on or today)
        membership = AssociationMembership.objects.create(
            person=person,
            association=association,
            plan=plan,
            starts_on=starts_on,
            ends_on=ends_on,
            source=source,
            recorded_by=recorded_by,
            note=(note or "")[:300],
        )
        action = AuditAction.MEMBERSHIP_STARTED
    else:
        starts_on, ends_on = term_dates(
            plan=plan, starts_on=membership.ends_on + datetime.timedelta(days=1)
        )
        membership.plan, membership.ends_on = plan, ends_on
        membership.save(update_fields=["plan", "ends_on", "updated_at"])
        action = AuditAction.MEMBERSHIP_RENEWED
    term = MembershipTerm.objects.create(
        membership=membership,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source,
        amount=amount,
        order_line=order_line,
        recorded_by=recorded_by,
        note=(note or "")[:300],
    )
    if source == MembershipSource.ADMIN:
        action = AuditAction.MEMBERSHIP_RECORDED
    record_event(
        action=action,
        organization=association,
        target=membership,
        actor=recorded_by,
        details={
            "plan": plan.name,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "amount": amount,
            "source": source,
            "order_line": order_line.pk if order_line is not None else None,
        },
    )
    tick_membership(learner=person, association=association, on=today)
    return term


# How far from today an admin may date a membership recorded by hand: a check received
# late in the year may start it back then, a gift may start it next season.
EARLIEST_START_DAYS, LATEST_START_DAYS = 366, 366


def record_membership_by_hand(
    *,
    person,
    plan: MembershipPlan,
    by,
    amount: int = 0,
    note: str = "",
    starts_on: datetime.date | None = None,
    submission: uuid.UUID | None = None,
) -> MembershipTerm:
    """An association admin records dues paid outside Attune (a check, say). A person
    without a running membership starts one on ``starts_on`` (today by default); a running
    one is extended from its end, whatever ``starts_on`` says. The same ``submission`` (the
    form's token) records one term however often it is sent."""
    if not user_can(user=by, action=Action.MANAGE_PAYMENTS, organization=plan.association):
        raise PermissionError(_("Only the association's administrators can record memberships."))
    if not plan.active:
        raise ValidationError({"plan": [_("This plan is no longer offered.")]})
    today = timezone.localdate()
    if starts_on is not None:
        if starts_on > today + datetime.timedelta(days=LATEST_START_DAYS):
            raise ValidationError({"starts_on": [_("Start it within a year from today.")]})
        if starts_on < today - datetime.timedelta(days=EARLIEST_START_DAYS) or (
            term_dates(plan=plan, starts_on=starts_on)[1] < today
        ):
            raise ValidationError(
                {"starts_on": [_("A membership starting then would already have ended.")]}
            )
    with transaction.atomic():
        # One hand-recording per person at a time, so a token sent twice at once is seen.
        type(person).objects.select_for_update().filter(pk=person.pk).first()
        if submission is not None:
            done = MembershipTerm.objects.filter(submission=submission).first()
            if done is not None:
                return done
        term = add_term(
            person=person,
            plan=plan,
            source=MembershipSource.ADMIN,
            amount=amount,
            recorded_by=by,
            note=note,
            today=today,
            starts_on=starts_on,
        )
        if submission is not None:
            term.submission = submission
            term.save(update_fields=["submission"])
        return term


@transaction.atomic
def cancel_membership(*, membership: AssociationMembership, by, reason: str) -> None:
    if not user_can(user=by, action=Action.MANAGE_PAYMENTS, organization=membership.association):
        raise PermissionError(_("Only the association's administrators can cancel memberships."))
    membership = AssociationMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only a running membership can be cancelled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the membership is cancelled.")]})
    membership.status = MembershipStatus.CANCELLED
    membership.note = reason.strip()[:300]
    membership.save(update_fields=["status", "note", "updated_at"])
    untick_membership(learner=membership.person, association=membership.association)
    record_event(
        action=AuditAction.MEMBERSHIP_CANCELLED,
        organization=membership.association,
        target=membership,
        actor=by,
        details={"reason": membership.note},
    )


def lapse_ended_memberships(*, today: datetime.date | None = None) -> int:
    """Mark memberships past their end LAPSED (the daily task). Safe to run twice."""
    today = today or timezone.localdate()
    ended = AssociationMembership.objects.filter(
        status=MembershipStatus.ACTIVE, ends_on__lt=today
    ).values_list("pk", flat=True)
    lapsed = 0
    for pk in list(ended):
        with transaction.atomic():
            membership = (
                AssociationMembership.objects.select_for_update()
                .select_related("person", "association")
                .filter(pk=pk, status=MembershipStatus.ACTIVE, ends_on__lt=today)
                .first()
            )
            if membership is not None:
                _lapse(membership)
                lapsed += 1
    return lapsed


@transaction.atomic
def sync_membership_from_identity_provider(
    *,
    person,
    plan: MembershipPlan,
    is_member: bool,
    ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AssociationMembership | None:
    """What the association's membership system said at a sign-in: a member holds a running
    membership of ``plan`` until ``ends_on`` (the plan's length from today when it gives
    none); a person it says is not a member loses the membership it gave (memberships paid
    in Attune or recorded by hand are left alone). Saying the same twice changes nothing.
    Returns the running membership, if any."""
    association = plan.association
    today = today or timezone.localdate()
    membership = _lock_running(person, association)
    if membership is not None and membership.ends_on < today:
        _lapse(membership)
        membership = None
    if not is_member:
        if membership is not None and membership.source == MembershipSource.IDENTITY_PROVIDER:
            membership.ends_on = max(membership.starts_on, today - datetime.timedelta(days=1))
            membership.save(update_fields=["ends_on", "updated_at"])
            _lapse(membership)
            membership = None
        return membership
    if ends_on is None:
        ends_on = term_dates(plan=plan, starts_on=today)[1]
    if ends_on < today:
        return membership  # an expiry already past: nothing to start
    if membership is None:
        membership = AssociationMembership.objects.create(
            person=person,
            association=association,
            plan=plan,
            starts_on=today,
            ends_on=ends_on,
            source=MembershipSource.IDENTITY_PROVIDER,
        )
        action = AuditAction.MEMBERSHIP_STARTED
    elif membership.source == MembershipSource.IDENTITY_PROVIDER and (
        membership.ends_on != ends_on or membership.plan_id != plan.pk
    ):
        membership.plan, membership.ends_on = plan, max(ends_on, membership.starts_on)
        membership.save(update_fields=["plan", "ends_on", "updated_at"])
        action = AuditAction.MEMBERSHIP_RENEWED
    else:
        return membership  # as it was, or one paid or recorded in Attune
    MembershipTerm.objects.create(
        membership=membership,
        plan=plan,
        starts_on=max(today, membership.starts_on),
        ends_on=membership.ends_on,
        source=MembershipSource.IDENTITY_PROVIDER,
    )
    record_event(
        action=action,
        organization=association,
        target=membership,
        actor=person,
        details={
            "plan": plan.name,
            "ends_on": membership.ends_on.isoformat(),
            "source": MembershipSource.IDENTITY_PROVIDER,
        },
    )
    tick_membership(learner=person, association=association, on=today)
    return membership

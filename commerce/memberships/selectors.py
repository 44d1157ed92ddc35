"""Reads on association memberships. ``is_member`` is what prices ask (member price or
not); it is cheap (one indexed query) and cached on the person object for the request."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AssociationMembership, MembershipPlan, MembershipStatus


def _today() -> datetime.date:
    return timezone.localdate()


def active_membership(*, person, association, on: datetime.date | None = None):
    """The person's membership of ``association`` running on ``on`` (today), or None."""
    if person is None or not getattr(person, "is_authenticated", False):
        return None
    on = on or _today()
    return (
        AssociationMembership.objects.filter(
            person=person,
            association=association,
            status=MembershipStatus.ACTIVE,
            starts_on__lte=on,
            ends_on__gte=on,
        )
        .select_related("plan")
        .first()
    )


def is_member(*, person, association, on: datetime.date | None = None) -> bool:
    """Whether ``person`` holds a running membership of ``association`` giving member
    prices. Answers for today are remembered on the person object (one request's life)."""
    if person is None or not getattr(person, "is_authenticated", False):
        return False
    if on is not None:
        found = active_membership(person=person, association=association, on=on)
        return found is not None and found.plan.member_prices
    cache = person.__dict__.setdefault("_association_member_cache", {})
    if association.pk not in cache:
        found = active_membership(person=person, association=association)
        cache[association.pk] = found is not None and found.plan.member_prices
    return cache[association.pk]


def forget_membership_cache(person) -> None:
    person.__dict__.pop("_association_member_cache", None)


def memberships_of(*, person) -> QuerySet[AssociationMembership]:
    """Every membership the person holds or held, newest first."""
    return AssociationMembership.objects.filter(person=person).select_related("association", "plan")


def plans_offered(*, association) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(association=association, active=True)


# The association admin's screens: what they list is limited to the associations whose
# payments the admin manages; anything else reads as not there.


def managed_associations(*, user) -> QuerySet:
    from lms.organizations.models import OrganizationKind
    from lms.organizations.permissions import Action
    from lms.organizations.selectors import organizations_where

    managed = organizations_where(user=user, action=Action.MANAGE_PAYMENTS)
    return managed.filter(kind=OrganizationKind.ASSOCIATION).order_by("name")


def members_for_admin(
    *, associations, status: str = "", query: str = ""
) -> QuerySet[AssociationMembership]:
    """Memberships of ``associations``, newest end first; ``status`` one of the statuses
    (or all), ``query`` a piece of the member's name or e-mail."""
    found = AssociationMembership.objects.filter(association__in=associations)
    if status in MembershipStatus.values:
        found = found.filter(status=status)
    for word in (query or "").split()[:5]:
        found = found.filter(
            Q(person__email__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
        )
    return found.select_related("person", "association", "plan", "recorded_by").order_by(
        "association__name", "-ends_on", "-pk"
    )


def admin_membership(*, user, membership_id: int) -> AssociationMembership | None:
    """One membership of the associations ``user`` manages the payments of, or None."""
    return (
        AssociationMembership.objects.filter(
            pk=membership_id, association__in=managed_associations(user=user)
        )
        .select_related("person", "association", "plan")
        .first()
    )


def plan_in_use(plan: MembershipPlan) -> bool:
    """Whether anyone holds or held a membership of ``plan`` (its history keeps it)."""
    from .models import MembershipTerm

    return (
        AssociationMembership.objects.filter(plan=plan).exists()
        or MembershipTerm.objects.filter(plan=plan).exists()
    )

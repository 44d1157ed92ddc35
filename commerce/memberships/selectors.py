"""Reads on association memberships. ``is_member`` is what prices ask (member price or
not); it is cheap (one indexed query) and cached on the person object for the request."""

import datetime

from django.db.models import QuerySet
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

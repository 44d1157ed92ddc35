"""What a bundle offers a person: its trainings with their hours, the price they would pay
(member or not), and whether they can buy it now."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from courses.selectors.enrollment import current_enrollment
from lms.money import currency_of, format_money

from .models import Bundle


@dataclass
class BundleOffer:
    bundle: Bundle
    price: str
    regular_price: str
    member_price: str  # "" when members pay the same
    member: bool
    hours: Decimal
    trainings: list = field(default_factory=list)
    payments_ready: bool = False
    not_configured: str = ""
    all_enrolled: bool = False


def bundles_on_sale(*, association):
    return Bundle.objects.filter(association=association, active=True).prefetch_related("trainings")


def _is_member(person, association) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    from commerce.memberships.selectors import is_member

    return is_member(person=person, association=association)


def bundle_offer(*, bundle: Bundle, person, detailed: bool = False) -> BundleOffer:
    from commerce.services.payments import not_configured_message

    association = bundle.association
    currency = currency_of(association)
    member = _is_member(person, association)
    trainings = (
        [t.specific for t in bundle.trainings.all()] if detailed else list(bundle.trainings.all())
    )
    signed_in = getattr(person, "is_authenticated", False)
    enrolled = signed_in and all(
        current_enrollment(learner=person, training=t) is not None for t in trainings
    )
    member_price = bundle.price_for(member=True)
    from commerce.selectors import payments_ready

    ready = payments_ready(association=association)
    return BundleOffer(
        bundle=bundle,
        price=format_money(bundle.price_for(member=member), currency),
        regular_price=format_money(bundle.price, currency),
        member_price=format_money(member_price, currency) if member_price != bundle.price else "",
        member=member,
        hours=sum((t.contact_hours or Decimal(0) for t in trainings), Decimal(0)),
        trainings=trainings,
        payments_ready=ready,
        not_configured="" if ready else not_configured_message(),
        all_enrolled=bool(trainings) and enrolled,
    )


def open_bundle_order(*, person, bundle: Bundle):
    """The person's unexpired pending order for this bundle (a second Buy goes back to it)."""
    from commerce.models import LineKind
    from commerce.selectors import open_order_for

    return open_order_for(person=person, kind=LineKind.BUNDLE, target_id=bundle.pk)

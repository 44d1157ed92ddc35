"""Reads for the checkout screens: what a training costs this person, and an order as the
buyer sees it (amounts written in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from courses.selectors.enrollment import current_enrollment
from courses.selectors.ownership import association_for_page
from lms.audit.models import AuditEvent
from lms.money import format_money
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from .models import LineKind, MerchantAccount, Order, OrderStatus
from .services.orders import expiry_cutoff


@dataclass(frozen=True)
class TrainingOffer:
    association: object
    paid: bool
    price: int = 0  # what this person pays today (minor units)
    member: bool = False
    enrolled: bool = False
    payments_ready: bool = False
    open_order: Order | None = None

    @property
    def price_display(self) -> str:
        return format_money(self.price, getattr(self.association, "currency", "USD"))


def _pricing():
    from courses import pricing  # the prices part; lazily until it lands

    return pricing


def _is_member(person, association) -> bool:
    from commerce.memberships.selectors import is_member

    return is_member(person=person, association=association)


def ready_merchant(*, association) -> MerchantAccount | None:
    """The association's Stripe account when it takes payments now (keys set, switched on)."""
    merchant = MerchantAccount.objects.filter(association=association).first()
    return merchant if merchant is not None and merchant.is_configured else None


def payments_ready(*, association) -> bool:
    return ready_merchant(association=association) is not None


def open_order_for(*, person, kind: str, target_id: int) -> Order | None:
    """The person's unexpired pending order for one thing (a training, a bundle): a second
    click on Buy goes back to it instead of placing another."""
    return (
        Order.objects.filter(
            buyer=person,
            status=OrderStatus.PENDING,
            created_at__gte=expiry_cutoff(),
            lines__kind=kind,
            lines__target_id=target_id,
        )
        .order_by("-created_at")
        .first()
    )


def open_training_order(*, person, training) -> Order | None:
    return open_order_for(person=person, kind=LineKind.TRAINING, target_id=training.pk)


def training_offer(*, training, person) -> TrainingOffer | None:
    """What buying ``training`` means for ``person`` today; None when it belongs to no
    association (nothing to buy)."""
    association = association_for_page(page=training)
    if association is None:
        return None
    pricing = _pricing()
    if not pricing.is_paid(training):
        return TrainingOffer(association=association, paid=False)
    signed_in = getattr(person, "is_authenticated", False)
    member = signed_in and _is_member(person, association)
    return TrainingOffer(
        association=association,
        paid=True,
        price=pricing.training_price(training=training, member=member),
        member=member,
        enrolled=signed_in and current_enrollment(learner=person, training=training) is not None,
        payments_ready=payments_ready(association=association),
        open_order=open_training_order(person=person, training=training) if signed_in else None,
    )


def order_view(*, order: Order) -> dict:
    """The order with its amounts written for the reader."""
    currency = order.currency
    lines = [
        {
            "line": line,
            "unit": format_money(line.unit_amount, currency),
            "discount": format_money(line.discount, currency) if line.discount else "",
            "amount": format_money(line.amount, currency),
        }
        for line in order.lines.all()
    ]
    return {
        "order": order,
        "association": order.association,
        "lines": lines,
        "subtotal": format_money(order.subtotal, currency),
        "discount": format_money(order.discount, currency) if order.discount else "",
        "total": format_money(order.total, currency),
        "refunded": format_money(order.refunded, currency) if order.refunded else "",
        "expired": order.status == OrderStatus.PENDING and order.created_at < expiry_cutoff(),
        "now": timezone.now(),
        "training_urls": _training_urls(order),
    }


def _training_urls(order: Order) -> list[str]:
    from courses.models import TrainingPage

    ids = [line.target_id for line in order.lines.all() if line.kind == LineKind.TRAINING]
    return [page.url for page in TrainingPage.objects.filter(pk__in=ids) if page.url]


# The association administrator's screens ------------------------------------------------


def paying_associations(*, user):
    """The associations whose payments ``user`` manages (their Stripe account, orders)."""
    return organizations_where(user=user, action=Action.MANAGE_PAYMENTS)


def orders_for_admin(
    *, user, association=None, status: str = "", start=None, end=None, query: str = ""
):
    """The orders of the associations ``user`` manages, newest first, filtered by
    association, status, the day they were placed and the buyer or the number."""
    orders = Order.objects.filter(association__in=paying_associations(user=user))
    if association is not None:
        orders = orders.filter(association=association)
    if status:
        orders = orders.filter(status=status)
    if start:
        orders = orders.filter(created_at__date__gte=start)
    if end:
        orders = orders.filter(created_at__date__lte=end)
    if query:
        orders = orders.filter(
            Q(number__icontains=query)
            | Q(buyer__email__icontains=query)
            | Q(buyer__first_name__icontains=query)
            | Q(buyer__last_name__icontains=query)
        )
    return orders.select_related("association", "buyer").order_by("-created_at", "-pk")


def admin_order(*, user, reference) -> Order | None:
    return (
        orders_for_admin(user=user)
        .prefetch_related("lines", "refunds__by", "stripe_events")
        .filter(reference=reference)
        .first()
    )


def order_history(*, order: Order):
    """The audit log's entries about the order, oldest first."""
    return AuditEvent.objects.filter(
        target_type=Order._meta.label_lower, target_id=str(order.pk)
    ).order_by("created", "pk")

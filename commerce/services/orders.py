"""Placing an order: lines priced by the caller, frozen here with the coupon's discounts.

``place_order`` is how every part sells something (trainings, bundles, memberships, fees,
invoices): it writes the order PENDING with its amounts frozen; ``commerce.services.payments``
takes it from there. Amounts are integers of the association's currency's minor unit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.money import currency_of

from ..models import LineKind, Order, OrderLine, OrderStatus


@dataclass(frozen=True)
class LineSpec:
    kind: str
    target_id: int
    description: str
    unit_amount: int
    quantity: int = 1

    @property
    def gross(self) -> int:
        return self.unit_amount * self.quantity


def _is_count(value, minimum: int) -> bool:
    # bool is an int in Python; an amount of True is a bug, not a dollar.
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _check_lines(lines: list[LineSpec]) -> None:
    if not lines:
        raise ValidationError(_("An order needs at least one line."))
    for line in lines:
        if line.kind not in LineKind.values:
            raise ValidationError(f"unknown line kind {line.kind!r}")
        if not _is_count(line.unit_amount, 0) or not _is_count(line.quantity, 1):
            raise ValidationError(f"bad amount or quantity on {line.description!r}")
        if not _is_count(line.target_id, 1):
            raise ValidationError(f"bad target id on {line.description!r}")
        if not (line.description or "").strip():
            raise ValidationError("every line needs a description")


def _discounts_for(*, code, order: Order, lines) -> list[int]:
    from commerce.offers.services import reserve_coupon  # the offers part; lazily

    _coupon, discounts = reserve_coupon(
        code=code, association=order.association, buyer=order.buyer, lines=lines, order=order
    )
    discounts = list(discounts)
    if len(discounts) != len(lines) or any(
        not _is_count(d, 0) or d > line.gross for d, line in zip(discounts, lines, strict=False)
    ):
        raise ValidationError(f"coupon {code!r} gave discounts that do not fit the lines")
    return discounts


def _write_lines(order: Order, lines: list[LineSpec], discounts: list[int]) -> None:
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            kind=line.kind,
            target_id=line.target_id,
            description=line.description.strip()[:300],
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            discount=discount,
            amount=line.gross - discount,
        )
        for line, discount in zip(lines, discounts, strict=True)
    )
    order.subtotal = sum(line.gross for line in lines)
    order.discount = sum(discounts)
    order.total = order.subtotal - order.discount


@transaction.atomic
def place_order(*, buyer, association, lines: list[LineSpec], coupon_code: str = "") -> Order:
    """A PENDING order of ``lines`` for ``buyer``, in the association's currency.

    A coupon code is reserved through ``commerce.offers`` (which refuses one past its limits
    with a ValidationError, and then nothing is written); its discounts are frozen per line.
    """
    lines = list(lines)
    _check_lines(lines)
    code = (coupon_code or "").strip()
    order = Order.objects.create(
        association=association,
        buyer=buyer,
        currency=currency_of(association),
        coupon_code=code,
    )
    # A refused coupon raises here and the transaction takes the order back with it.
    discounts = _discounts_for(code=code, order=order, lines=lines) if code else [0] * len(lines)
    _write_lines(order, lines, discounts)
    order.save(update_fields=["subtotal", "discount", "total"])
    return order


@transaction.atomic
def place_order_once(*, buyer, association, lines: list[LineSpec], coupon_code: str = "") -> Order:
    """The buyer's unexpired pending order for the same lines, else a new one (``place_order``).

    What a Buy button calls: the buyer's row is locked first, so two racing clicks (a double
    click, two tabs) find one order instead of placing two.
    """
    from django.contrib.auth import get_user_model

    list(get_user_model().objects.select_for_update().filter(pk=buyer.pk).values_list("pk"))
    lines = list(lines)
    wanted = sorted((line.kind, line.target_id, line.quantity) for line in lines)
    pending = Order.objects.filter(
        buyer=buyer,
        association=association,
        status=OrderStatus.PENDING,
        created_at__gte=expiry_cutoff(),
    ).prefetch_related("lines")
    for order in pending.order_by("-created_at"):
        held = sorted((line.kind, line.target_id, line.quantity) for line in order.lines.all())
        if held == wanted:
            return order
    return place_order(buyer=buyer, association=association, lines=lines, coupon_code=coupon_code)


def specs_of(order: Order) -> list[LineSpec]:
    return [
        LineSpec(line.kind, line.target_id, line.description, line.unit_amount, line.quantity)
        for line in order.lines.all()
    ]


@transaction.atomic
def apply_coupon(*, order: Order, code: str) -> Order:
    """Enter (or, with an empty code, remove) the coupon of a pending order: its lines are
    re-priced. The old coupon's use is given back first; a refused code changes nothing."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        raise ValidationError(_("This order can no longer be changed."))
    specs = specs_of(order)
    if order.coupon_code:
        from commerce.offers.services import release_coupon

        release_coupon(order=order)
    code = (code or "").strip()
    discounts = _discounts_for(code=code, order=order, lines=specs) if code else [0] * len(specs)
    order.lines.all().delete()
    _write_lines(order, specs, discounts)
    order.coupon_code = code
    order.save(update_fields=["subtotal", "discount", "total", "coupon_code"])
    return order


def expiry_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(
        minutes=settings.ATTUNE_ORDER_PENDING_MINUTES
    )


def is_abandoned(order: Order, now: datetime.datetime | None = None) -> bool:
    return order.status == OrderStatus.PENDING and order.created_at < expiry_cutoff(now)


def expire_abandoned_orders(*, now: datetime.datetime | None = None) -> int:
    """Cancel pending orders older than ATTUNE_ORDER_PENDING_MINUTES and give their coupons
    back (a periodic task runs it). Each order is re-read under its lock: one being paid
    right now is left alone. Returns how many were cancelled."""
    cancelled = 0
    cutoff = expiry_cutoff(now)
    stale = Order.objects.filter(status=OrderStatus.PENDING, created_at__lt=cutoff)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            if order.status != OrderStatus.PENDING:
                continue
            cancel_order(order=order, action=AuditAction.ORDER_EXPIRED)
            cancelled += 1
    return cancelled


def cancel_order(*, order: Order, action=AuditAction.ORDER_EXPIRED, by=None) -> Order:
    """PENDING → CANCELLED, coupon given back. Call with the order locked."""
    if order.status != OrderStatus.PENDING:
        raise ValidationError(_("Only an order awaiting payment can be cancelled."))
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status"])
    if order.coupon_code:
        from commerce.offers.services import release_coupon

        release_coupon(order=order)
    record_event(
        action=action,
        organization=order.association,
        target=order,
        actor=by,
        details={"total": order.total, "currency": order.currency},
    )
    return order

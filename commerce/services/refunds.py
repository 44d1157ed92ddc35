"""Refunds by the association's admin: all or part of a paid order, through Stripe."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .. import stripe_gateway as gateway
from ..fulfilment import revoke_line
from ..models import Order, OrderStatus, Refund

REFUNDABLE = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


def refund_order(
    *, order: Order, amount: int, by, reason: str = "", revoke: bool = False
) -> Refund:
    """Give ``amount`` (minor units) of a paid order back to the buyer's card.

    Refused, changing nothing, beyond what is left to refund. ``revoke`` also undoes what
    the order gave (enrollments are cancelled through each line kind's ``revoke``); without
    it the buyer keeps access. The order's row stays locked while Stripe is asked, so two
    admins refunding at once cannot give back more than was paid.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than zero.")})
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("association").get(pk=order.pk)
        if order.status not in REFUNDABLE or not order.stripe_payment_intent:
            raise ValidationError(_("Only an order paid through Stripe can be refunded here."))
        if amount > order.balance:
            raise ValidationError(
                {"amount": _("At most %(left)s is left to refund.") % {"left": _money(order)}}
            )
        count = order.refunds.count()
        try:
            stripe_id = gateway.refund(
                order=order,
                amount=amount,
                idempotency_key=f"order-{order.reference}-refund-{count}",
            )
        except (
            gateway.PaymentRefused,
            gateway.GatewayUnavailable,
            gateway.PaymentsNotConfigured,
        ) as exc:
            raise ValidationError(
                _("Stripe did not make the refund: %(why)s") % {"why": exc}
            ) from exc
        refund = Refund.objects.create(
            order=order,
            amount=amount,
            reason=(reason or "").strip()[:300],
            revoked=revoke,
            by=by,
            stripe_refund=stripe_id,
        )
        order.refunded += amount
        order.status = (
            OrderStatus.REFUNDED
            if order.refunded == order.total
            else OrderStatus.PARTIALLY_REFUNDED
        )
        order.save(update_fields=["refunded", "status"])
        if revoke:
            for line in order.lines.all():
                revoke_line(line)
        record_event(
            action=AuditAction.ORDER_REFUNDED,
            organization=order.association,
            target=order,
            actor=by,
            details={
                "amount": amount,
                "currency": order.currency,
                "refunded": order.refunded,
                "access_cancelled": revoke,
                "reason": refund.reason,
                "stripe_refund": stripe_id,
            },
        )
    return refund


def _money(order: Order) -> str:
    from lms.money import format_money

    return format_money(order.balance, order.currency)

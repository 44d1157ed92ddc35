"""An order's payment: the card attempt from the payment page, Stripe's signed webhook that
alone marks an order paid, and an admin's record of a payment by check.

An order becomes PAID in exactly one transaction (``_settle``): the order row locked, its
number given, every line fulfilled through ``commerce.fulfilment``, the audit entry written.
The browser's return after a payment only shows the status; it never fulfils anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .. import stripe_gateway as gateway
from ..fulfilment import fulfil_line
from ..models import Order, OrderStatus, StripeEvent
from .orders import is_abandoned

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentOutcome:
    """What the payment page tells the browser: ``status`` is ``processing`` (wait for the
    webhook on the order page), ``requires_action`` (Stripe.js authenticates with
    ``client_secret``), ``declined`` (``message`` says why) or ``unavailable``."""

    status: str
    message: str = ""
    client_secret: str = ""


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("association").get(pk=order.pk)


def pay_with_card(*, order: Order, card_token: str) -> PaymentOutcome:
    """Charge a pending order to the card Stripe.js tokenized on the payment page."""
    if not (card_token or "").strip():
        return PaymentOutcome("declined", _("Please enter your card details."))
    with transaction.atomic():
        # The lock makes a double-clicked Pay wait for the first: one PaymentIntent per order.
        order = _locked(order)
        if order.status != OrderStatus.PENDING or is_abandoned(order):
            return PaymentOutcome("declined", _("This order can no longer be paid."))
        if order.total == 0:
            raise ValidationError("an order of nothing is settled without a payment")
        try:
            intent = gateway.prepare_intent(order=order)
        except gateway.PaymentsNotConfigured:
            return PaymentOutcome("unavailable", not_configured_message())
        except (gateway.PaymentRefused, gateway.GatewayUnavailable):
            return PaymentOutcome("unavailable", _("Payments are not available right now."))
        if order.stripe_payment_intent != intent:
            order.stripe_payment_intent = intent
            order.save(update_fields=["stripe_payment_intent"])
    try:
        attempt = gateway.confirm_card(order=order, card_token=card_token.strip())
    except gateway.PaymentRefused as refused:
        return PaymentOutcome("declined", str(refused))
    except gateway.GatewayUnavailable:
        return PaymentOutcome("unavailable", _("Payments are not available right now."))
    if attempt.status == "requires_action":
        return PaymentOutcome("requires_action", client_secret=attempt.client_secret)
    # succeeded or processing: the webhook settles the order.
    return PaymentOutcome("processing")


def not_configured_message() -> str:
    return _(
        "This association has not set up online payments yet. Please contact it to pay another way."
    )


def settle_free_order(*, order: Order) -> Order:
    """An order a coupon brought to nothing: settled without Stripe (there is no payment to
    confirm), through the same transaction as a paid one."""
    with transaction.atomic():
        order = _locked(order)
        if order.total != 0:
            raise ValidationError("only an order of nothing is settled without a payment")
        if order.status == OrderStatus.PENDING:
            _settle(order, action=AuditAction.ORDER_PAID, details={"free": True})
    return order


def _next_number(order: Order) -> str:
    """``<ASSOCIATION>-<year>-<00001>``, counted per association and year. The association's
    row is locked so two orders paid at once cannot take the same number."""
    from lms.organizations.models import Organization

    Organization.objects.select_for_update().filter(pk=order.association_id).first()
    year = timezone.localdate().year
    prefix = f"{order.association.slug.upper()}-{year}-"
    taken = Order.objects.filter(association_id=order.association_id, number__startswith=prefix)
    return f"{prefix}{taken.count() + 1:05d}"


def _settle(order: Order, *, action, actor=None, details=None) -> None:
    """PENDING (or FAILED: a card that failed then succeeded) → PAID, under the order's lock."""
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.failure_message = ""
    order.number = _next_number(order)
    order.save(update_fields=["status", "paid_at", "failure_message", "number"])
    if order.coupon_code:
        from commerce.offers.services import keep_coupon  # the offers part; lazily

        keep_coupon(order=order)
    for line in order.lines.all():
        fulfil_line(line)
        if line.fulfilled_at is None:
            line.fulfilled_at = timezone.now()
            line.save(update_fields=["fulfilled_at"])
    record_event(
        action=action,
        organization=order.association,
        target=order,
        actor=actor,
        details={"total": order.total, "currency": order.currency, **(details or {})},
    )


@transaction.atomic
def mark_paid_by_hand(*, order: Order, by, note: str) -> Order:
    """An admin records a payment made outside Stripe (a check for an invoice)."""
    order = _locked(order)
    if order.status not in (OrderStatus.PENDING, OrderStatus.FAILED):
        raise ValidationError(_("Only an order awaiting payment can be marked paid."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how it was paid, e.g. the check's number.")})
    _settle(order, action=AuditAction.ORDER_PAID_BY_HAND, actor=by, details={"note": note[:300]})
    return order


# Webhook ---------------------------------------------------------------------------------


class BadSignature(Exception):
    """The request was not signed with the association's webhook secret: it changes nothing."""


def handle_webhook(*, association, payload: bytes, signature: str) -> str:
    """Verify and apply one webhook delivery; returns what was done (for the log).

    Each event id is handled once per association (a second delivery, or one racing the
    first, finds the StripeEvent row and does nothing). Events about PaymentIntents that
    are not this association's orders are acknowledged and ignored.
    """
    try:
        event = gateway.verified_event(
            association=association, payload=payload, signature=signature
        )
    except gateway.PaymentsNotConfigured as exc:
        raise BadSignature("payments not configured") from exc
    except Exception as exc:  # stripe.SignatureVerificationError, ValueError on bad JSON
        raise BadSignature(str(exc)) from exc
    handlers = {
        "payment_intent.succeeded": _on_succeeded,
        "payment_intent.payment_failed": _on_failed,
    }
    handler = handlers.get(event.type)
    if handler is None:
        return "ignored"
    intent = event.data.object.to_dict()
    try:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update()
                .select_related("association")
                .filter(association=association, stripe_payment_intent=intent.get("id") or "-")
                .first()
            )
            StripeEvent.objects.create(
                association=association, event_id=event.id, type=event.type, order=order
            )
            if order is None:
                return "not ours"
            return handler(order, intent)
    except IntegrityError:
        return "duplicate"


def _on_succeeded(order: Order, intent) -> str:
    if order.status == OrderStatus.PAID:
        return "already paid"
    if intent.get("amount") != order.total or (intent.get("currency") or "").upper() != (
        order.currency.upper()
    ):
        # Never fulfil what was not paid in full: leave it for an admin to look at.
        logger.error(
            "PaymentIntent %s paid %s %s for order %s of %s %s",
            intent.get("id"), intent.get("amount"), intent.get("currency"),
            order.reference, order.total, order.currency,
        )  # fmt: skip
        return "amount mismatch"
    if order.status not in (OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.CANCELLED):
        return f"ignored in {order.status}"
    # A cancelled (expired) order whose payment still went through is honoured: the buyer
    # paid. Its coupon was given back on expiry; the discount stands as frozen.
    _settle(order, action=AuditAction.ORDER_PAID, details={"payment_intent": intent.get("id")})
    return "paid"


def _on_failed(order: Order, intent) -> str:
    if order.status != OrderStatus.PENDING:
        return f"ignored in {order.status}"
    error = intent.get("last_payment_error") or {}
    order.status = OrderStatus.FAILED
    order.failure_message = (error.get("message") or _("The payment was declined."))[:300]
    order.save(update_fields=["status", "failure_message"])
    if order.coupon_code:
        from commerce.offers.services import release_coupon

        release_coupon(order=order)
    record_event(
        action=AuditAction.ORDER_PAYMENT_FAILED,
        organization=order.association,
        target=order,
        details={"reason": order.failure_message, "payment_intent": intent.get("id")},
    )
    return "failed"

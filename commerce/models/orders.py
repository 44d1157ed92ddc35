"""An order: lines with amounts frozen when it was placed, and its payment's state.

Amounts are integers of the currency's minor unit (``lms.money``). ``total`` is always
``sum(line.amount)``; ``commerce.services.orders`` is the only writer and keeps it so.
Orders are people's financial history: they are never deleted with a person, a training or
an association (``PROTECT``); a line keeps its own description and amounts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.money import DEFAULT_CURRENCY


class OrderStatus(models.TextChoices):
    # Placed, waiting for the payment (the browser may still be on the card form).
    PENDING = "pending", pgettext_lazy("order status", "Awaiting payment")
    # Stripe's signed webhook confirmed the payment; the lines have been fulfilled.
    PAID = "paid", pgettext_lazy("order status", "Paid")
    # The payment was declined or the checkout abandoned: nothing was fulfilled.
    FAILED = "failed", pgettext_lazy("order status", "Payment failed")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", pgettext_lazy("order status", "Partly refunded")
    REFUNDED = "refunded", pgettext_lazy("order status", "Refunded")


class LineKind(models.TextChoices):
    TRAINING = "training", _("Training")
    BUNDLE = "bundle", _("Bundle")
    MEMBERSHIP = "membership", _("Membership")
    FEE = "fee", _("Endorsement fee")
    INVOICE = "invoice", _("Invoice")


class Order(models.Model):
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    # Numbered per association once paid (receipts), e.g. GLAIMH-2026-00042.
    number = models.CharField(_("number"), max_length=40, blank=True, db_index=True)
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    subtotal = models.PositiveIntegerField(_("subtotal"), default=0)
    discount = models.PositiveIntegerField(_("discount"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    refunded = models.PositiveIntegerField(_("refunded"), default=0)
    # The Stripe PaymentIntent (or Invoice) this order is paid through.
    stripe_payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    failure_message = models.CharField(_("why the payment failed"), max_length=300, blank=True)
    # The coupon the buyer entered, as typed and accepted (commerce.offers keeps the coupon and
    # its uses; release_coupon finds them from the order by this code).
    coupon_code = models.CharField(_("coupon"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values),
                name="commerce_order_known_status",
            ),
            models.CheckConstraint(
                condition=models.Q(total=models.F("subtotal") - models.F("discount")),
                name="commerce_order_total_is_subtotal_less_discount",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded__lte=models.F("total")),
                name="commerce_order_refund_within_total",
            ),
            models.UniqueConstraint(
                fields=["association", "number"],
                condition=~models.Q(number=""),
                name="commerce_order_number_unique_per_association",
            ),
        ]
        indexes = [models.Index(fields=["association", "status", "paid_at"])]

    def __str__(self):
        return self.number or str(self.reference)

    @property
    def balance(self) -> int:
        """What is left to refund."""
        return self.total - self.refunded

    @property
    def is_open(self) -> bool:
        return self.status == OrderStatus.PENDING


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    # What the line is for, by kind: a training page id, a bundle, a membership plan, an
    # application (fee) or an invoice id. Frozen with the description: the thing may change
    # or disappear later without changing the order.
    target_id = models.PositiveBigIntegerField(_("item id"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_amount = models.PositiveIntegerField(_("unit price"))
    discount = models.PositiveIntegerField(_("discount"), default=0)
    amount = models.PositiveIntegerField(_("amount"))
    # Set once the line's effect happened (enrolled, membership started, fee marked paid).
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LineKind.values), name="commerce_line_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    amount=models.F("unit_amount") * models.F("quantity") - models.F("discount")
                ),
                name="commerce_line_amount_is_price_less_discount",
            ),
        ]

    def __str__(self):
        return self.description

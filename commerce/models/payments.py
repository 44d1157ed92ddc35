"""What Stripe told us (each event once) and what was given back (refunds)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class StripeEvent(models.Model):
    """A webhook event handled for an association. Stripe delivers an event at least once:
    the unique constraint makes a second delivery a no-op, even when both race."""

    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="stripe_events"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "event_id"], name="commerce_stripe_event_once"
            )
        ]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class Refund(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.PositiveIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Whether the refund also cancelled what the order gave (enrollments): the admin chooses.
    revoked = models.BooleanField(_("access cancelled"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refunded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stripe_refund = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("refunded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="commerce_refund_positive"
            )
        ]

    def __str__(self):
        return f"{self.order} −{self.amount}"

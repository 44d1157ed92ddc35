"""The fee an application owes before it can be submitted, and how it was settled.

The amounts come from the rule set in effect (``RequirementSet`` registration, processing
and renewal fees) and are frozen here once settled. Paying goes through ``commerce`` (a FEE
order line whose fulfilment calls ``services.fees.mark_fee_paid``); endorsement never
imports commerce, so the order is named by its reference only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FeeStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("fee status", "Due")
    PAID = "paid", pgettext_lazy("fee status", "Paid")
    WAIVED = "waived", pgettext_lazy("fee status", "Waived")


class ApplicationFee(models.Model):
    application = models.OneToOneField(
        "endorsement.Application", on_delete=models.PROTECT, related_name="fee"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=FeeStatus.choices, default=FeeStatus.DUE
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    registration_amount = models.PositiveIntegerField(_("registration fee"), default=0)
    submission_amount = models.PositiveIntegerField(_("processing fee"), default=0)
    renewal_amount = models.PositiveIntegerField(_("renewal fee"), default=0)
    amount = models.PositiveIntegerField(_("amount"), default=0)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    order_reference = models.CharField(_("order"), max_length=40, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiver_reason = models.CharField(_("why it was waived"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application fee")
        verbose_name_plural = _("application fees")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FeeStatus.values), name="endorsement_fee_known_status"
            ),
            models.CheckConstraint(
                condition=Q(
                    amount=models.F("registration_amount")
                    + models.F("submission_amount")
                    + models.F("renewal_amount")
                ),
                name="endorsement_fee_amount_is_its_parts",
            ),
            models.CheckConstraint(
                condition=Q(status="due") | Q(settled_at__isnull=False),
                name="endorsement_fee_settled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | (Q(waived_by__isnull=False) & ~Q(waiver_reason="")),
                name="endorsement_fee_waiver_names_who_and_why",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | ~Q(order_reference=""),
                name="endorsement_fee_paid_names_order",
            ),
        ]

    def __str__(self):
        return f"Fee of application {self.application_id}: {self.status}"

    @property
    def is_settled(self) -> bool:
        return self.status != FeeStatus.DUE

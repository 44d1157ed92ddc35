"""Coupons (a percentage or an amount off trainings and bundles, with limits) and bundles
(several trainings sold at one price), each an association's own.

Amounts are integers of the association's currency's minor unit (``lms.money``). A coupon's
uses are its redemptions that were not given back: one per order, reserved while the order
awaits payment, kept once it is paid, released when it fails or expires.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models.fields import MinorUnitsField


class CouponKind(models.TextChoices):
    PERCENT = "percent", _("Percentage off")
    AMOUNT = "amount", _("Amount off")


class Coupon(models.Model):
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="coupons",
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        help_text=_("What buyers type, e.g. SPRING25. Capitals do not matter."),
    )
    description = models.CharField(
        _("description"), max_length=200, blank=True, help_text=_("For your own records.")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CouponKind.choices, default=CouponKind.PERCENT
    )
    percent_off = models.PositiveSmallIntegerField(
        _("percentage off"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For a percentage coupon: 1 to 100."),
    )
    amount_off = MinorUnitsField(
        _("amount off"),
        null=True,
        blank=True,
        help_text=_("For an amount coupon, e.g. 10 or 10.00, taken off the order's total."),
    )
    max_uses = models.PositiveIntegerField(
        _("maximum uses"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day it may be used.")
    )
    trainings = models.ManyToManyField(
        "courses.TrainingPage",
        verbose_name=_("trainings"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every training and bundle of your association."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "association", Lower("code"), name="commerce_offers_coupon_code_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=CouponKind.PERCENT, amount_off__isnull=True)
                    & Q(percent_off__gte=1, percent_off__lte=100)
                )
                | Q(kind=CouponKind.AMOUNT, percent_off__isnull=True, amount_off__gt=0),
                name="commerce_offers_coupon_one_discount",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="commerce_offers_coupon_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        self.code = (self.code or "").strip()
        if self.kind == CouponKind.PERCENT:
            self.amount_off = None
            if self.percent_off is None:
                raise ValidationError({"percent_off": _("Give the percentage off.")})
        elif self.kind == CouponKind.AMOUNT:
            self.percent_off = None
            if not self.amount_off:
                raise ValidationError({"amount_off": _("Give the amount off.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The coupon must end after it starts.")})
        clash = Coupon.objects.filter(
            association_id=self.association_id, code__iexact=self.code
        ).exclude(pk=self.pk)
        if self.association_id and clash.exists():
            raise ValidationError({"code": _("Your association already has this code.")})


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", pgettext_lazy("coupon use", "Reserved")
    KEPT = "kept", pgettext_lazy("coupon use", "Used")
    RELEASED = "released", pgettext_lazy("coupon use", "Given back")


class CouponRedemption(models.Model):
    """One use of a coupon by one order."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    # Linked as soon as the order that reserved it is written (same transaction).
    order = models.OneToOneField(
        "commerce.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coupon_redemption",
    )
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.RESERVED
    )
    discount = models.PositiveIntegerField(_("discount"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RedemptionStatus.values),
                name="commerce_offers_redemption_known_status",
            ),
        ]

    def __str__(self):
        return f"{self.coupon_id}: {self.get_status_display()}"


class Bundle(models.Model):
    """Several trainings sold together at one price, e.g. "IFS renewal pack: 15 hours"."""

    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="bundles",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    trainings = models.ManyToManyField(
        "courses.TrainingPage", verbose_name=_("trainings"), related_name="+"
    )
    price = MinorUnitsField(_("price"), help_text=_("What non-members pay, e.g. 150 or 150.00."))
    member_price = MinorUnitsField(
        _("member price"),
        null=True,
        blank=True,
        help_text=_("What members pay. Leave empty for the same price."),
    )
    active = models.BooleanField(
        _("on sale"), default=True, help_text=_("Off: the bundle's page is hidden.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def price_for(self, *, member: bool) -> int:
        if member and self.member_price is not None:
            return min(self.member_price, self.price)
        return self.price

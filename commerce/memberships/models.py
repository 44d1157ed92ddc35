"""Association membership: the plans an association offers (annual dues, member prices) and
the people who hold one.

Not to be confused with ``lms.organizations.Membership`` (a person's staff role in an
organization): these are the dues-paying members of an association. A membership moves
ACTIVE → LAPSED (its end date passed, by the daily task) or ACTIVE → CANCELLED (by an
admin), only through ``services``. People's memberships are their history: never deleted
with a person, a plan or an association (``PROTECT``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipPlan(models.Model):
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="membership_plans",
        limit_choices_to={"kind": "association"},
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("what it gives"),
        blank=True,
        help_text=_("Shown to people choosing a plan, e.g. member prices on every training."),
    )
    # Dues in the association's currency's minor unit (cents): 7000 is $70.00.
    annual_dues = models.PositiveIntegerField(_("dues (in cents)"))
    length_months = models.PositiveSmallIntegerField(_("length in months"), default=12)
    member_prices = models.BooleanField(
        _("member prices"), default=True, help_text=_("Members pay trainings' member prices.")
    )
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Only offered plans can be joined or renewed.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("membership plan")
        verbose_name_plural = _("membership plans")
        ordering = ["association", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="memberships_plan_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(length_months__gte=1, length_months__lte=120),
                name="memberships_plan_length_1_to_120_months",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("membership status", "Active")
    LAPSED = "lapsed", pgettext_lazy("membership status", "Lapsed")
    CANCELLED = "cancelled", pgettext_lazy("membership status", "Cancelled")


class MembershipSource(models.TextChoices):
    PURCHASE = "purchase", _("Paid online")
    IDENTITY_PROVIDER = "identity_provider", _("From the association's sign-in")
    ADMIN = "admin", _("Recorded by the association")


class AssociationMembership(models.Model):
    """One person's membership of one association, from ``starts_on`` to ``ends_on``
    (inclusive). Renewing extends ``ends_on``; a lapsed membership renewed starts a new row,
    so the history shows the gap."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="association_memberships",
    )
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="association_memberships",
        limit_choices_to={"kind": "association"},
    )
    plan = models.ForeignKey(
        MembershipPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    source = models.CharField(_("source"), max_length=20, choices=MembershipSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Reminders sent before expiry for the current ``ends_on`` (a renewal resets them).
    reminded_30_for = models.DateField(null=True, blank=True)
    reminded_7_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("association membership")
        verbose_name_plural = _("association memberships")
        ordering = ["-ends_on", "-pk"]
        constraints = [
            # One running membership per person and association: renewals extend it.
            models.UniqueConstraint(
                fields=["person", "association"],
                condition=Q(status="active"),
                name="memberships_one_active_per_association",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="memberships_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                name="memberships_known_status",
            ),
            models.CheckConstraint(
                condition=Q(source__in=MembershipSource.values),
                name="memberships_known_source",
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self):
        return f"{self.person} · {self.association} · {self.starts_on}–{self.ends_on}"


class MembershipTerm(models.Model):
    """One period paid for or recorded: joining, each renewal. The membership's dates span
    its terms; a paid order line starts or extends at most one term (held by the database,
    which makes the fulfilment idempotent)."""

    membership = models.ForeignKey(
        AssociationMembership, on_delete=models.PROTECT, related_name="terms"
    )
    plan = models.ForeignKey(
        MembershipPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    source = models.CharField(_("source"), max_length=20, choices=MembershipSource.choices)
    amount = models.PositiveIntegerField(_("amount paid"), default=0)
    order_line = models.OneToOneField(
        "commerce.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_term",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The admin form's one-time token for a term recorded by hand: the same form sent twice
    # (a double click, a retried request) records one term, not a renewal on top.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership term")
        verbose_name_plural = _("membership terms")
        ordering = ["membership", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="memberships_term_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(source__in=MembershipSource.values),
                name="memberships_term_known_source",
            ),
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}"

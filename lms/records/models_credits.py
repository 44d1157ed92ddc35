"""Continuing-education credit: the kinds an association is approved to offer, and the
credit a record earned in each kind, frozen when the record was issued.

A ``CreditKind`` is one board's credit as one association offers it (social work CE
approved by a board, counselor CE, psychology CE, nursing contact hours, a state registry's
hours, CDA subject-area hours): who awards it, its unit, the wording a certificate must carry,
the association's approval number and its dates, and the rules the board adds to a
training's own (a minimum post-test score, a minimum number of post-test questions per
credit hour, a minimum share of a live event attended). Trainings offer kinds with an amount
(``courses.TrainingCreditOffer``).

``RecordCredit`` rows are written once with their record, like its area hours: what the
training offered in that kind, whether this learner earned it and, if not, why. The learner's
choice to claim a kind is a ``CreditClaim``, the only part that changes after issue.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import LicenseProfession

from .immutability import AppendOnly

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]


class CreditUnit(models.TextChoices):
    CONTACT_HOURS = "contact_hours", _("Contact hours")
    CEUS = "ceus", _("Continuing education units (CEUs)")


class CreditCategory(models.TextChoices):
    GENERAL = "general", _("General")
    ETHICS = "ethics", _("Ethics")
    CULTURAL = "cultural", _("Cultural competence, diversity, equity and inclusion")
    SUPERVISION = "supervision", _("Clinical supervision")
    CLINICAL = "clinical", _("Clinical practice")
    CHILD_DEVELOPMENT = "child_development", _("Child growth and development")
    FAMILY = "family", _("Families and communities")
    SAFETY = "safety", _("Health, safety and nutrition")
    OTHER = "other", _("Other")


class CreditKind(models.Model):
    """One kind of continuing-education credit an association is approved to offer."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="credit_kinds",
        verbose_name=_("association"),
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("As learners see it, e.g. Social work CE.")
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short identifier, unique in the association, e.g. sw-ce."),
    )
    awarding_body = models.CharField(
        _("awarding body"),
        max_length=160,
        help_text=_("The board or body that approved the association to offer this credit."),
    )
    unit = models.CharField(
        _("unit"), max_length=16, choices=CreditUnit.choices, default=CreditUnit.CONTACT_HOURS
    )
    hours_per_unit = models.DecimalField(
        _("contact hours per unit"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("1 for contact hours; usually 10 for CEUs (1 CEU = 10 contact hours)."),
    )
    certificate_statement = models.TextField(
        _("approval statement"),
        help_text=_(
            "The wording the awarding body requires on every certificate of this credit, "
            "word for word."
        ),
    )
    approval_number = models.CharField(
        _("provider approval number"),
        max_length=80,
        blank=True,
        help_text=_("The association's approval or provider number with the awarding body."),
    )
    approved_from = models.DateField(_("approved from"), null=True, blank=True)
    approved_until = models.DateField(
        _("approved until"),
        null=True,
        blank=True,
        help_text=_("Trainings completed after this day no longer earn this credit."),
    )
    license_profession = models.CharField(
        _("learner's license"),
        max_length=24,
        choices=LicenseProfession.choices,
        blank=True,
        help_text=_(
            "Ask learners who claim this credit for this license's number, shown on this "
            "credit's certificate only. Leave empty if the body does not need it."
        ),
    )
    minimum_score_percent = models.PositiveSmallIntegerField(
        _("minimum post-test score (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("The best post-test score needed for this credit, e.g. 80."),
    )
    minimum_questions_per_hour = models.PositiveSmallIntegerField(
        _("minimum post-test questions per credit hour"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Checked when an editor saves a training offering this credit."),
    )
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Live events: the share of the event a participant must attend."),
    )
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Switch off to stop offering it on new trainings; records keep theirs."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = _("credit kind")
        verbose_name_plural = _("credit kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="records_credit_kind_code_per_org"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=CreditUnit.values), name="records_credit_kind_unit_known"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_unit__gte=Decimal("0.25")),
                name="records_credit_kind_hours_per_unit_positive",
            ),
            models.CheckConstraint(
                condition=Q(approved_from__isnull=True)
                | Q(approved_until__isnull=True)
                | Q(approved_until__gte=models.F("approved_from")),
                name="records_credit_kind_approval_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.awarding_body})"

    def clean(self):
        super().clean()
        errors = {}
        per_unit = self.hours_per_unit
        if self.unit == CreditUnit.CONTACT_HOURS and per_unit is not None and per_unit != 1:
            errors["hours_per_unit"] = _("A contact hour is one hour: use 1.")
        elif self.unit == CreditUnit.CEUS and (per_unit is None or per_unit == 1):
            # One hour per CEU is almost always a slip; a body counting hours wants hours.
            errors["hours_per_unit"] = _(
                "Give the contact hours one CEU stands for (usually 10). If the body counts "
                "one hour per unit, choose contact hours."
            )
        if self.approved_from and self.approved_until and self.approved_until < self.approved_from:
            errors["approved_until"] = _("The approval cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def is_approved_on(self, day) -> bool:
        if self.approved_from is not None and day < self.approved_from:
            return False
        return self.approved_until is None or day <= self.approved_until


class RecordCredit(AppendOnly):
    """What one record earned in one credit kind, frozen as issued: the kind's wording,
    numbers and the training's offer are copied so that editing the kind or the training
    never changes a certificate already issued."""

    record = models.ForeignKey(
        "records.TrainingRecord", on_delete=models.PROTECT, related_name="credits"
    )
    kind = models.ForeignKey(CreditKind, on_delete=models.PROTECT, related_name="record_credits")
    kind_name = models.CharField(max_length=120)
    awarding_body = models.CharField(max_length=160)
    unit = models.CharField(max_length=16, choices=CreditUnit.choices)
    amount = models.DecimalField(max_digits=6, decimal_places=2)
    contact_hours = models.DecimalField(max_digits=6, decimal_places=2)
    category = models.CharField(max_length=24, choices=CreditCategory.choices)
    course_approval_number = models.CharField(max_length=80, blank=True)
    provider_approval_number = models.CharField(max_length=80, blank=True)
    certificate_statement = models.TextField()
    license_profession = models.CharField(
        max_length=24, choices=LicenseProfession.choices, blank=True
    )
    earned = models.BooleanField()
    # Why not earned, in the learner's words of the rule (empty when earned).
    not_earned_reason = models.CharField(max_length=300, blank=True)
    best_score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    # Each credit's certificate is verifiable on its own.
    verification_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "kind_name"]
        verbose_name = _("record credit")
        verbose_name_plural = _("record credits")
        constraints = [
            models.UniqueConstraint(fields=["record", "kind"], name="records_credit_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(contact_hours__gt=0),
                name="records_credit_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(earned=True, not_earned_reason="") | Q(earned=False),
                name="records_credit_earned_has_no_reason",
            ),
        ]

    def __str__(self):
        return f"{self.amount.normalize():f} {self.kind_name} on record {self.record_id}"


class CreditClaim(models.Model):
    """The learner claims an earned credit: its certificate is issued in their name, with
    their license number when the kind asks for one. A claim is never deleted: withdrawing
    it keeps the row with the time."""

    credit = models.OneToOneField(RecordCredit, on_delete=models.PROTECT, related_name="claim")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_claims"
    )
    license_number = models.CharField(_("license number"), max_length=60, blank=True)
    license_jurisdiction = models.CharField(_("licensing state"), max_length=60, blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("credit claim")
        verbose_name_plural = _("credit claims")

    def __str__(self):
        return f"{self.learner} claims {self.credit}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

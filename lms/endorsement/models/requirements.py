"""Endorsement requirements as versioned data, and what a learner adds to their portfolio.

A ``RequirementSet`` is one version of one association's rules for one category, for an
initial application or for renewal, in effect between two dates. Its ``RequirementRule``
rows hold every number (minimum hours, DEI hours, RSC hours, cycle length); the evaluation
in ``rules`` reads them and hard-codes none. Applications (and anything else that must
say which rules a learner met) point at a ``RequirementSet`` row, which identifies the
version.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..rules.facts import TickFact
from ..rules.rule_sets import (
    APPLIES_TO_LABELS,
    CHECKLIST_LABELS,
    HOUR_KINDS,
    RULE_KIND_LABELS,
    SET_KIND_LABELS,
    WINDOW_KIND_LABELS,
    AppliesTo,
    ChecklistItem,
    Rule,
    RuleKind,
    SetKind,
    Window,
    WindowKind,
)


def _choices(labels: dict) -> list[tuple[str, str]]:
    """Choices from one of the rules' label dictionaries (English, marked there), each label
    translated when shown."""
    return [(key.value, _(label)) for key, label in labels.items()]


def _values(enum) -> list[str]:
    return [member.value for member in enum]


HOUR_KIND_VALUES = sorted(kind.value for kind in HOUR_KINDS)


class RequirementSetQuerySet(models.QuerySet):
    def in_effect(self, on: datetime.date):
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
        )


class RequirementSet(ClusterableModel):
    association = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="requirement_sets",
        limit_choices_to={"kind": "association"},
    )
    category = models.ForeignKey(
        "competencies.EndorsementCategory",
        on_delete=models.PROTECT,
        related_name="requirement_sets",
    )
    kind = models.CharField(max_length=10, choices=_choices(SET_KIND_LABELS))
    version = models.CharField(
        max_length=80, help_text=_("A name for this version, e.g. “2025 renewal rules”.")
    )
    effective_from = models.DateField(help_text=_("The first day these rules apply."))
    effective_to = models.DateField(
        null=True,
        blank=True,
        help_text=_("The last day these rules apply. Leave empty while they are current."),
    )
    is_default = models.BooleanField(
        _("shipped default"),
        default=False,
        help_text=_(
            "Loaded from Attune's defaults and not changed since. Saving a change in the "
            "admin clears this mark; the defaults loader never overwrites a set."
        ),
    )
    window_kind = models.CharField(
        _("cycle"),
        max_length=12,
        choices=_choices(WINDOW_KIND_LABELS),
        default=WindowKind.NONE.value,
    )
    cycle_years = models.PositiveSmallIntegerField(
        default=1, help_text=_("Length of a renewal cycle in years (1 for annual renewal).")
    )
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Renewal due date (month and day). The occurrence nearest the end of the "
            "cycle is used: 31 January is the January after a calendar-year cycle."
        ),
    )
    expects_every_area = models.BooleanField(
        _("expects training in every competency area"),
        default=False,
        help_text=_("List areas of the category with no training at all as missing."),
    )
    notes = models.TextField(blank=True, help_text=_("Shown to learners with these rules."))
    # How applications under these rules are reviewed. Numbers are data: associations differ.
    raters_required = models.PositiveSmallIntegerField(
        _("reference raters"),
        default=3,
        help_text=_("How many raters the applicant names (0 when references are not asked)."),
    )
    supervisor_rater_required = models.BooleanField(
        _("one rater must be the current supervisor"), default=False
    )
    void_rating_at_nei = models.PositiveSmallIntegerField(
        _("“not enough information” answers that void a rating"),
        default=6,
        help_text=_(
            "A reference rating with this many “not enough information” answers or more "
            "does not count; the applicant is asked to name another rater."
        ),
    )
    reviewers_required = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=2,
        help_text=_("How many reviewers must recommend before a decision is recorded."),
    )
    # Fees, in the association's currency's minor unit (cents); 0 charges nothing. An
    # application cannot be submitted until its fee is paid or waived (``services.fees``).
    registration_fee = models.PositiveIntegerField(
        _("registration fee"),
        default=0,
        help_text=_("Charged once, on a person's first application to the association."),
    )
    submission_fee = models.PositiveIntegerField(
        _("processing fee"),
        default=0,
        help_text=_("Charged on every application under these rules, before it is submitted."),
    )
    renewal_fee = models.PositiveIntegerField(
        _("renewal fee"),
        default=0,
        help_text=_("Charged on renewal applications under these rules."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequirementSetQuerySet.as_manager()

    class Meta:
        ordering = ["association", "category__order", "kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "category", "kind", "version"],
                name="endorsement_set_version_unique",
            ),
            models.UniqueConstraint(
                fields=["association", "category", "kind", "effective_from"],
                name="endorsement_set_start_unique",
            ),
            # CHECK lets NULL through, so nullable columns are tested for NULL explicitly.
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="endorsement_set_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_values(SetKind)), name="endorsement_set_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(window_kind__in=_values(WindowKind)),
                name="endorsement_set_known_window",
            ),
            models.CheckConstraint(
                condition=Q(cycle_years__gte=1, cycle_years__lte=10),
                name="endorsement_set_cycle_1_to_10_years",
            ),
            models.CheckConstraint(
                condition=Q(due_month__isnull=True, due_day__isnull=True)
                | Q(
                    due_month__isnull=False,
                    due_day__isnull=False,
                    due_month__gte=1,
                    due_month__lte=12,
                    due_day__gte=1,
                    due_day__lte=31,
                ),
                name="endorsement_set_due_date_valid",
            ),
            models.CheckConstraint(
                condition=Q(raters_required__lte=10, void_rating_at_nei__gte=1),
                name="endorsement_set_references_sane",
            ),
            models.CheckConstraint(
                condition=Q(reviewers_required__gte=1, reviewers_required__lte=10),
                name="endorsement_set_reviewers_1_to_10",
            ),
        ]

    def __str__(self):
        return (
            f"{self.association} · {self.category.code} · "
            f"{self.get_kind_display()} · {self.version}"
        )

    def clean(self):
        super().clean()
        errors = {}
        if (self.due_month is None) != (self.due_day is None):
            errors["due_day"] = _("Give both the month and the day of the due date, or neither.")
        elif self.due_month is not None:
            try:
                datetime.date(2024, self.due_month, self.due_day)
            except ValueError:
                errors["due_day"] = _("That day does not exist in that month.")
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = _("The last day must not be before the first day.")
        if self.association_id and self.category_id and self.kind and self.effective_from:
            overlapping = (
                RequirementSet.objects.filter(
                    association_id=self.association_id,
                    category_id=self.category_id,
                    kind=self.kind,
                )
                .exclude(pk=self.pk)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
            )
            if self.effective_to:
                overlapping = overlapping.filter(effective_from__lte=self.effective_to)
            clash = overlapping.first()
            if clash is not None:
                errors["effective_from"] = _(
                    "These dates overlap the version “%(version)s” (from %(day)s). "
                    "End that version first."
                ) % {"version": clash.version, "day": f"{clash.effective_from:%Y-%m-%d}"}
        if errors:
            raise ValidationError(errors)

    @property
    def window(self) -> Window:
        return Window(
            kind=WindowKind(self.window_kind),
            cycle_years=self.cycle_years,
            due_month=self.due_month,
            due_day=self.due_day,
        )


class RequirementRule(Orderable):
    requirement_set = ParentalKey(RequirementSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=_choices(RULE_KIND_LABELS))
    min_hours = models.DecimalField(
        _("minimum hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Clock hours needed (for every kind except checklist items)."),
    )
    area = models.ForeignKey(
        "competencies.CompetencyArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only for hours in a competency area."),
    )
    checklist_item = models.CharField(max_length=20, choices=_choices(CHECKLIST_LABELS), blank=True)
    applies_to = models.CharField(
        max_length=20,
        choices=_choices(APPLIES_TO_LABELS),
        default=AppliesTo.EVERYONE.value,
    )
    condition_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The N in “endorsed for N years”.")
    )
    lookback_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Count only the last N months before the date (e.g. RSC within 24 months)."),
    )
    note = models.CharField(max_length=300, blank=True, help_text=_("Shown to learners."))
    open_at_submission = models.BooleanField(
        _("may still be open when applying"),
        default=False,
        help_text=_(
            "An application may be submitted with this rule not met yet (e.g. the exam, "
            "which reviewers approve the applicant to sit)."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("min_hours")]),
        FieldRowPanel([FieldPanel("area"), FieldPanel("checklist_item")]),
        FieldRowPanel(
            [FieldPanel("applies_to"), FieldPanel("condition_years"), FieldPanel("lookback_months")]
        ),
        FieldPanel("note"),
        FieldPanel("open_at_submission"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=_values(RuleKind)), name="endorsement_rule_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="checklist", min_hours__isnull=True) & ~Q(checklist_item="")
                | Q(
                    kind__in=HOUR_KIND_VALUES,
                    min_hours__isnull=False,
                    min_hours__gt=0,
                    checklist_item="",
                ),
                name="endorsement_rule_hours_or_checklist",
            ),
            models.CheckConstraint(
                condition=Q(kind="area_hours", area__isnull=False)
                | (~Q(kind="area_hours") & Q(area__isnull=True)),
                name="endorsement_rule_area_only_for_area_hours",
            ),
            models.CheckConstraint(
                condition=Q(applies_to__in=["everyone", "rsc_providers"])
                | Q(condition_years__isnull=False, condition_years__gte=1),
                name="endorsement_rule_condition_has_years",
            ),
        ]

    def __str__(self):
        return self.as_rule().label

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == RuleKind.CHECKLIST:
            if not self.checklist_item:
                errors["checklist_item"] = _("Choose the checklist item.")
            if self.min_hours is not None:
                errors["min_hours"] = _("Checklist items have no hours.")
        elif self.kind:
            if self.min_hours is None or self.min_hours <= 0:
                errors["min_hours"] = _("Give the minimum hours (more than zero).")
            if self.checklist_item:
                errors["checklist_item"] = _("Only checklist items name a checklist item.")
        if self.kind == RuleKind.AREA_HOURS and self.area_id is None:
            errors["area"] = _("Choose the competency area.")
        if self.kind != RuleKind.AREA_HOURS and self.area_id is not None:
            errors["area"] = _("Only hours in a competency area name an area.")
        if (
            self.applies_to in (AppliesTo.ENDORSED_UNDER, AppliesTo.ENDORSED_AT_LEAST)
            and not self.condition_years
        ):
            errors["condition_years"] = _("Give the number of years.")
        if errors:
            raise ValidationError(errors)

    def as_rule(self) -> Rule:
        area = self.area if self.area_id else None
        return Rule(
            kind=RuleKind(self.kind),
            min_hours=self.min_hours,
            area_code=area.code if area else "",
            area_name=area.name if area else "",
            checklist_item=self.checklist_item,
            applies_to=AppliesTo(self.applies_to),
            condition_years=self.condition_years,
            lookback_months=self.lookback_months,
            note=self.note,
            rule_id=self.pk,
            open_at_submission=self.open_at_submission,
        )


class ChecklistTick(models.Model):
    """The learner's word that a checklist item is done, with optional evidence."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checklist_ticks"
    )
    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(max_length=20, choices=_choices(CHECKLIST_LABELS))
    completed_on = models.DateField(help_text=_("When it was done (e.g. when you signed)."))
    note = models.CharField(max_length=300, blank=True)
    evidence = models.FileField(upload_to="endorsement/evidence/%Y/%m/", blank=True)
    evidence_content_type = models.CharField(max_length=40, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    # Ticked by the association's membership records, not the learner: it goes when the
    # membership lapses (unless a submitted application relies on it).
    from_membership = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "association", "item", "completed_on"],
                name="endorsement_tick_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(item__in=_values(ChecklistItem)),
                name="endorsement_tick_known_item",
            ),
        ]

    def __str__(self):
        return f"{self.get_item_display()} ticked on {self.completed_on:%Y-%m-%d}"

    def as_tick(self) -> TickFact:
        return TickFact(
            item=self.item,
            completed_on=self.completed_on,
            has_evidence=bool(self.evidence),
            tick_id=self.pk,
        )

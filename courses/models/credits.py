"""The continuing-education credit a training offers, in the kinds its association is
approved for (``lms.records.CreditKind``)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from lms.records.models import CreditCategory


class TrainingCreditOffer(Orderable):
    """One credit kind a training offers: how much, under which course approval number and
    in which category. The kind's rules are checked when the editor saves."""

    page = ParentalKey(
        "courses.TrainingPage", on_delete=models.CASCADE, related_name="credit_offers"
    )
    kind = models.ForeignKey(
        "records.CreditKind",
        on_delete=models.PROTECT,
        related_name="training_offers",
        verbose_name=_("credit kind"),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=6,
        decimal_places=2,
        help_text=_("In the kind's unit: contact hours, or CEUs (e.g. 0.3)."),
    )
    approval_number = models.CharField(
        _("course approval number"),
        max_length=80,
        blank=True,
        help_text=_("The number the awarding body gave this training, if any."),
    )
    category = models.CharField(
        _("category"),
        max_length=24,
        choices=CreditCategory.choices,
        default=CreditCategory.GENERAL,
    )

    panels = [
        # A plain list of the association's kinds (the form limits it), not the snippet
        # chooser, which offers only the kinds the editor may administer.
        FieldRowPanel([FieldPanel("kind", widget=forms.Select), FieldPanel("amount")]),
        FieldRowPanel([FieldPanel("approval_number"), FieldPanel("category")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("credit offered")
        verbose_name_plural = _("credit offered")
        constraints = [
            models.UniqueConstraint(fields=["page", "kind"], name="courses_credit_kind_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="courses_credit_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.amount.normalize():f} {self.kind}"

"""What a training costs, set by its association: free, or a price per audience.

Amounts are integers of the association's currency's minor unit (``lms.money``). A member
never pays more than a non-member and an early-bird price never raises one:
``courses.pricing.training_price`` takes the lowest price that applies. Staff on a
contracted center's seat pay nothing (they enroll on the seat, not through a purchase).
"""

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel

from .fields import MinorUnitsField


class TrainingPrices(models.Model):
    price = MinorUnitsField(
        _("price"),
        default=0,
        blank=True,
        help_text=_("What non-members pay, e.g. 60 or 60.00. Leave empty or 0 for free."),
    )
    member_price = MinorUnitsField(
        _("member price"),
        null=True,
        blank=True,
        help_text=_("What members of the association pay. Leave empty for the same price."),
    )
    early_bird_price = MinorUnitsField(
        _("early-bird price"),
        null=True,
        blank=True,
        help_text=_("What non-members pay until the early-bird date."),
    )
    early_bird_member_price = MinorUnitsField(
        _("early-bird member price"),
        null=True,
        blank=True,
        help_text=_("What members pay until the early-bird date."),
    )
    early_bird_until = models.DateField(
        _("early-bird until"),
        null=True,
        blank=True,
        help_text=_("The last day early-bird prices apply."),
    )

    price_panels = [
        HelpPanel(
            format_lazy(
                "<p>{}</p>",
                _(
                    "Amounts are in your association's currency. Staff of a center with a "
                    "contract for this training enroll on its seats and pay nothing."
                ),
            )
        ),
        FieldRowPanel([FieldPanel("price"), FieldPanel("member_price")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("early_bird_price"), FieldPanel("early_bird_member_price")]
                ),
                FieldPanel("early_bird_until"),
            ],
            heading=_("Early bird"),
        ),
    ]

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        early = self.early_bird_price is not None or self.early_bird_member_price is not None
        if early and self.early_bird_until is None:
            raise ValidationError(
                {"early_bird_until": _("Give the last day the early-bird prices apply.")}
            )
        if self.early_bird_until is not None and not early:
            raise ValidationError(
                {"early_bird_price": _("Give an early-bird price, or clear the early-bird date.")}
            )


# TrainingPage's Meta lists these (an abstract parent's constraints would be replaced).
PRICE_CONSTRAINTS = [
    models.CheckConstraint(
        condition=Q(early_bird_until__isnull=False)
        | (Q(early_bird_price__isnull=True) & Q(early_bird_member_price__isnull=True)),
        name="courses_early_bird_prices_have_a_date",
    ),
]
PRICE_FIELDS = (
    "price",
    "member_price",
    "early_bird_price",
    "early_bird_member_price",
    "early_bird_until",
)

"""The editor's panels that every training shares (its completion rules' panels are in
``rules.py``): the details, the facilitators and the competency allocation."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel

DETAILS_PANELS = [
    FieldPanel("topic"),
    FieldPanel("summary"),
    FieldPanel("learning_objectives"),
    FieldPanel("cover_image"),
    FieldRowPanel([FieldPanel("delivery_format"), FieldPanel("level")]),
    FieldRowPanel([FieldPanel("age_band"), FieldPanel("contact_hours")]),
    FieldPanel("audience"),
    FieldPanel("provider"),
    FieldPanel("credit_statement"),
]

PEOPLE_PANELS = [
    InlinePanel(
        "facilitator_links",
        heading=_("Facilitators"),
        label=_("Facilitator"),
        help_text=_("At least one facilitator is needed to publish."),
    ),
]

COMPETENCY_PANELS = [
    HelpPanel(
        format_lazy(
            "<p>{}</p>",
            _(
                "Give each competency area the hours this training spends on it, in quarter "
                "hours. The rows must add up to the contact hours before the training can be "
                "published."
            ),
        )
    ),
    InlinePanel("area_hours", heading=_("Hours per competency area"), label=_("Area")),
    FieldPanel("sub_areas", widget=forms.CheckboxSelectMultiple),
    FieldPanel("suitable_categories", widget=forms.CheckboxSelectMultiple),
    MultiFieldPanel(
        [FieldPanel("counts_toward_dei"), FieldPanel("about_reflective_supervision")],
        heading=_("Renewal flags"),
    ),
]

CREDIT_PANELS = [
    HelpPanel(
        format_lazy(
            "<p>{}</p>",
            _(
                "The continuing-education credit this training offers, in the kinds your "
                "association is approved for (an administrator keeps them in Credit kinds). "
                "Each kind's rules are checked when you save: its approval must be current, "
                "the credit must fit in the contact hours, and its post-test rules must be "
                "met by the training's required post-tests. A kind's minimum attendance "
                "applies to live events only and is checked when a learner completes."
            ),
        )
    ),
    InlinePanel("credit_offers", heading=_("Credit offered"), label=_("Credit")),
]

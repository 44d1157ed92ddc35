"""Attune's page tree: association home → catalog → courses, webinars and live events.

``TrainingPage`` is a concrete base so that the catalog reads every kind of training from one
table, and so that allocation and facilitator rows have one parent to point at.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.accounts.models import TIME_ZONE_CHOICES, Discipline
from lms.records.models import DeliveryFormat, RecordAgeBand

from .. import blocks
from ..snapshots import TrainingSnapshot
from .fields import ChoiceListField
from .forms import (
    CatalogIndexPageForm,
    LessonPageForm,
    LiveEventPageForm,
    TrainingPageForm,
)
from .prices import PRICE_CONSTRAINTS, TrainingPrices
from .publishing import refused_publishing
from .rules import CompletionRules
from .serving import ServedPage
from .training_panels import COMPETENCY_PANELS, CREDIT_PANELS, DETAILS_PANELS, PEOPLE_PANELS
from .translating import EVENT_FACTS, TRAINING_FACTS, WEBINAR_FACTS

QUARTER_HOUR = Decimal("0.25")


def quarter_hours(field: str) -> Exact:
    """A database check that ``field`` is a whole number of quarter hours."""
    return Exact(Mod(models.F(field) * 4, 1), 0)


class AttunePage(ServedPage, Page):
    """Base of every Attune page type: each subclass states where it may live."""

    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        abstract = True


class HomePage(AttunePage):
    """The root page of a site: Attune's own, or an association's."""

    intro = models.CharField(max_length=255, blank=True)
    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = CatalogIndexPage.objects.child_of(self).live().first()
        return context


class CatalogIndexPage(AttunePage):
    """An association's catalog: its own trainings plus those it cross-lists."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "cross_listings",
            heading=_("Cross-listed training"),
            label=_("Training from another association"),
            help_text=_(
                "Published training of other associations to show in this catalog. "
                "The other association stays the provider."
            ),
        ),
    ]

    base_form_class = CatalogIndexPageForm
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.WebinarPage", "courses.LiveEventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catalog")
        verbose_name_plural = _("catalogs")

    def get_context(self, request, *args, **kwargs):
        from ..selectors.catalog import catalog_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_context(catalog=self, request=request))
        return context


# Trainings and the records they issue speak the same vocabulary: records own it.
TrainingAgeBand = RecordAgeBand


class TrainingLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class TrainingPage(CompletionRules, TrainingPrices, AttunePage):
    """What courses, webinars and live events share, including how their hours count."""

    topic = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            "The topic as it should read on a training record. Leave blank to use the title."
        ),
    )
    summary = models.TextField(max_length=600, help_text=_("One or two sentences for the catalog."))
    learning_objectives = models.TextField(
        blank=True, help_text=_("One objective per line: what participants will be able to do.")
    )
    audience = ChoiceListField(
        choices=Discipline.choices, blank=True, help_text=_("The disciplines this training serves.")
    )
    age_band = models.CharField(
        max_length=20, choices=TrainingAgeBand.choices, blank=True, default=TrainingAgeBand.NONE
    )
    level = models.CharField(
        max_length=20, choices=TrainingLevel.choices, default=TrainingLevel.INTRODUCTORY
    )
    delivery_format = models.CharField(max_length=20, choices=DeliveryFormat.choices)
    contact_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        help_text=_("Clock hours of training, in quarter hours (e.g. 1.5)."),
    )
    provider = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        related_name="provided_trainings",
        help_text=_("The organization that provides the training and is named on records."),
    )
    credit_statement = models.TextField(
        blank=True,
        help_text=_("The continuing-education or credit statement shown to participants."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suitable_categories = ParentalManyToManyField(
        "competencies.EndorsementCategory",
        blank=True,
        related_name="suitable_trainings",
        verbose_name=_("suitable endorsement categories"),
    )
    sub_areas = ParentalManyToManyField(
        "competencies.SubArea",
        blank=True,
        related_name="trainings",
        verbose_name=_("sub-areas covered"),
    )
    counts_toward_dei = models.BooleanField(
        _("counts toward DEI hours"),
        default=False,
        help_text=_("Diversity, equity and inclusion content that renewal rules count separately."),
    )
    about_reflective_supervision = models.BooleanField(
        _("about reflective supervision/consultation"),
        default=False,
        help_text=_("Training about providing reflective supervision or consultation (RSC)."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("topic"),
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.RelatedFields(
            "facilitator_links",
            [index.RelatedFields("facilitator", [index.SearchField("name")])],
        ),
        # What is said in its recordings (courses.signals re-indexes when captions change).
        index.SearchField("spoken_text"),
    ]

    details_panels = DETAILS_PANELS
    people_panels = PEOPLE_PANELS
    competency_panels = COMPETENCY_PANELS

    override_translatable_fields = TRAINING_FACTS  # text edited per language, facts synced

    base_form_class = TrainingPageForm
    is_creatable = False
    parent_page_types = ["courses.CatalogIndexPage"]
    allowed_formats: tuple[str, ...] = tuple(DeliveryFormat.values)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_hours__isnull=True)
                | (models.Q(contact_hours__gt=0) & quarter_hours("contact_hours")),
                name="courses_contact_hours_positive_quarters",
            ),
            *PRICE_CONSTRAINTS,
        ]

    def clean(self):
        super().clean()
        if self.delivery_format and self.delivery_format not in self.allowed_formats:
            allowed = ", ".join(str(DeliveryFormat(f).label) for f in self.allowed_formats)
            raise ValidationError(
                {
                    "delivery_format": _("A %(kind)s is delivered as: %(formats)s.")
                    % {"kind": self._meta.verbose_name, "formats": allowed}
                }
            )

    def save(self, *args, **kwargs):
        if len(self.allowed_formats) == 1:
            self.delivery_format = self.allowed_formats[0]
        super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        # Every way of publishing but the editor's own button (whose form checks) ends here;
        # the review task and the bulk-action hook check first so that people see reasons.
        if refused_publishing(revision, kwargs):
            return None
        return super().publish(revision, *args, **kwargs)

    def spoken_text(self) -> str:
        """The words of the caption tracks (checked or automatic) of the recordings this
        training shows, as saved (a live page's live version), for search."""
        from ..selectors.captions import spoken_text

        return spoken_text(training=self)

    @property
    def record_topic(self) -> str:
        return self.topic or self.title

    @cached_property
    def owning_association(self):
        """The association whose site holds this training."""
        from ..selectors.ownership import association_for_page

        return association_for_page(page=self)

    def facilitators(self) -> list:
        return [link.facilitator for link in self.facilitator_links.select_related("facilitator")]

    def audience_labels(self) -> list[str]:
        return self._meta.get_field("audience").labels(self.audience)

    def objectives(self) -> list[str]:
        return [line.strip() for line in self.learning_objectives.splitlines() if line.strip()]

    def ordered_area_hours(self) -> list["TrainingAreaHours"]:
        rows = self.area_hours.select_related("area")
        return sorted(rows, key=lambda row: (row.area.order, row.area.code))

    def get_context(self, request, *args, **kwargs):
        from ..selectors.training import training_context

        context = super().get_context(request, *args, **kwargs)
        context.update(training_context(page=self))
        return context

    def completion_snapshot(self) -> TrainingSnapshot:
        """The facts a completion record keeps, frozen as they are now."""
        rows = self.ordered_area_hours()
        links = list(self.facilitator_links.select_related("facilitator"))
        provider = self.provider
        return TrainingSnapshot(
            training_page_id=self.pk,
            title=self.title,
            topic=self.record_topic,
            contact_hours=self.contact_hours,
            facilitators=tuple(
                {
                    "name": link.facilitator.name,
                    "credentials": link.facilitator.credentials,
                    "facilitator_id": link.facilitator_id,
                }
                for link in links
            ),
            provider_name=provider.name if provider else "",
            provider_organization_id=provider.pk if provider else None,
            area_hours={row.area.code: row.hours for row in rows},
            area_names={row.area.code: row.area.name for row in rows},
            sub_areas=tuple(sorted(self.sub_areas.values_list("code", flat=True))),
            counts_toward_dei=self.counts_toward_dei,
            about_reflective_supervision=self.about_reflective_supervision,
            delivery_format=self.delivery_format,
            age_band=self.age_band,
            training_url=self.full_url or "",
        )


def training_edit_handler(content_panels, *, recordings=True) -> TabbedInterface:
    """Content first, then the competency allocation on its own tab; trainings that show
    recordings list those still lacking reviewed captions, and their exceptions."""
    from ..admin.panels import CaptionGatePanel

    tabs = [
        ObjectList(content_panels, heading=_("Content")),
        ObjectList(TrainingPage.competency_panels, heading=_("Competencies")),
        ObjectList(TrainingPage.completion_panels, heading=_("Completion")),
        ObjectList(CREDIT_PANELS, heading=_("Credits")),
        ObjectList(TrainingPage.price_panels, heading=_("Price")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
    ]
    if recordings:
        tabs.insert(5, ObjectList([CaptionGatePanel(heading=_("Captions"))], heading=_("Captions")))
    return TabbedInterface(tabs)


class TrainingAreaHours(Orderable):
    """How many of a training's contact hours go to one competency area."""

    page = ParentalKey(TrainingPage, on_delete=models.CASCADE, related_name="area_hours")
    area = models.ForeignKey(
        "competencies.CompetencyArea", on_delete=models.PROTECT, related_name="training_hours"
    )
    hours = models.DecimalField(max_digits=5, decimal_places=2)

    panels = [FieldRowPanel([FieldPanel("area"), FieldPanel("hours")])]

    class Meta(Orderable.Meta):
        verbose_name = _("hours in a competency area")
        verbose_name_plural = _("hours per competency area")
        constraints = [
            models.UniqueConstraint(fields=["page", "area"], name="courses_one_row_per_area"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & quarter_hours("hours"),
                name="courses_area_hours_positive_quarters",
            ),
        ]

    def __str__(self):
        return f"{self.area}: {self.hours} h"

    def clean(self):
        from ..allocation import row_errors

        super().clean()
        area_name = self.area.localized_name if self.area_id else gettext("this area")
        errors = row_errors(area_name=area_name, hours=self.hours)
        if errors:
            raise ValidationError({"hours": errors})


class TrainingFacilitator(Orderable):
    page = ParentalKey(TrainingPage, on_delete=models.CASCADE, related_name="facilitator_links")
    facilitator = models.ForeignKey(
        "organizations.Facilitator", on_delete=models.PROTECT, related_name="training_links"
    )
    role = models.CharField(
        max_length=80, blank=True, help_text=_("Optional, e.g. Lead facilitator or Co-presenter.")
    )

    panels = [FieldRowPanel([FieldPanel("facilitator"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "facilitator"], name="courses_facilitator_once_per_training"
            ),
        ]

    def __str__(self):
        return str(self.facilitator)


class CrossListing(Orderable):
    """Another association's training shown in this catalog."""

    catalog = ParentalKey(CatalogIndexPage, on_delete=models.CASCADE, related_name="cross_listings")
    training = models.ForeignKey(TrainingPage, on_delete=models.CASCADE, related_name="+")

    panels = [
        PageChooserPanel(
            "training", ["courses.CoursePage", "courses.WebinarPage", "courses.LiveEventPage"]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("cross-listing")
        verbose_name_plural = _("cross-listings")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "training"], name="courses_cross_list_once"),
        ]


class CoursePage(TrainingPage):
    """A self-paced course: an overview and ordered lessons (its child pages)."""

    overview = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        *TrainingPage.details_panels,
        FieldPanel("overview"),
        *TrainingPage.people_panels,
    ]
    edit_handler = training_edit_handler(content_panels)

    allowed_formats = (DeliveryFormat.SELF_PACED,)
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")


class LessonPage(AttunePage):
    body = StreamField(blocks.lesson_blocks(), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("About how long the lesson takes.")
    )

    content_panels = [*Page.content_panels, FieldPanel("duration_minutes"), FieldPanel("body")]

    base_form_class = LessonPageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def publish(self, revision, *args, **kwargs):
        # A lesson's recordings need person-checked captions too (or the course's exception).
        if refused_publishing(revision, kwargs):
            return None
        return super().publish(revision, *args, **kwargs)


class WebinarPage(TrainingPage):
    """An on-demand webinar: one recording, optionally followed by a post-test."""

    description = RichTextField(blank=True)
    recorded_on = models.DateField(null=True, blank=True)
    recording = StreamField(
        [("recording", blocks.RecordingChooserBlock())],
        blank=True,
        max_num=1,
        help_text=_("The webinar's recording."),
    )
    post_test = StreamField(
        [("quiz", blocks.QuizReferenceBlock())],
        blank=True,
        max_num=1,
        help_text=_("Optional post-test learners take after watching."),
    )

    content_panels = [
        *Page.content_panels,
        *TrainingPage.details_panels,
        FieldPanel("description"),
        FieldPanel("recorded_on"),
        FieldPanel("recording"),
        FieldPanel("post_test"),
        *TrainingPage.people_panels,
    ]
    edit_handler = training_edit_handler(content_panels)

    allowed_formats = (DeliveryFormat.RECORDED_WEBINAR,)
    override_translatable_fields = WEBINAR_FACTS
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")


class LiveEventPage(TrainingPage):
    """A training at a set time, online or in a room, for those who register."""

    description = RichTextField(blank=True)
    starts_at = models.DateTimeField(null=True)
    ends_at = models.DateTimeField(null=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="America/Chicago",
        help_text=_("Start and end are entered and shown in this time zone."),
    )
    venue_summary = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("What everyone sees, e.g. Online (Zoom) or Wichita, KS."),
    )
    location = models.TextField(
        blank=True, help_text=_("Street address and room. Shown only to registrants.")
    )
    meeting_url = models.URLField(
        _("meeting link"), blank=True, help_text=_("Shown only to registrants.")
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Seats available. Leave blank for no limit.")
    )

    content_panels = [
        *Page.content_panels,
        *TrainingPage.details_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("time_zone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_summary"),
                FieldPanel("location"),
                FieldPanel("meeting_url"),
                FieldPanel("capacity"),
            ],
            heading=_("Where"),
        ),
        *TrainingPage.people_panels,
    ]
    edit_handler = training_edit_handler(content_panels, recordings=False)

    override_translatable_fields = EVENT_FACTS
    base_form_class = LiveEventPageForm
    allowed_formats = (DeliveryFormat.LIVE_WEBINAR, DeliveryFormat.IN_PERSON, DeliveryFormat.HYBRID)
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="courses_event_ends_after_start",
            ),
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    def get_context(self, request, *args, **kwargs):
        from ..selectors.events import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(event=self, user=request.user))
        return context

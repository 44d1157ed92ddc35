"""The shared module library: reusable content that faculty institutes author once."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from lms.accounts.models import Discipline

from .. import blocks
from .fields import ChoiceListField


class LibraryModule(
    PreviewableMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """A cross-discipline module that courses of permitted associations embed in lessons."""

    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=600, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="library_modules",
        help_text=_("The organization that owns and maintains the module."),
    )
    body = StreamField(blocks.content_blocks(), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    areas = ParentalManyToManyField(
        "competencies.CompetencyArea",
        blank=True,
        related_name="library_modules",
        verbose_name=_("competency areas"),
    )
    audience = ChoiceListField(choices=Discipline.choices, blank=True)
    shared_with_all = models.BooleanField(
        _("shared with every organization"),
        default=False,
        help_text=_("Any association may embed the module in its courses."),
    )
    shared_with = ParentalManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="modules_shared_with",
        help_text=_("Organizations that may embed the module when it is not shared with all."),
    )
    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("organization"),
        index.FilterField("live"),
        index.FilterField("shared_with_all"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("library module")
        verbose_name_plural = _("library modules")

    def __str__(self):
        return self.title

    def get_preview_template(self, request, mode_name):
        return "courses/library_module_preview.html"

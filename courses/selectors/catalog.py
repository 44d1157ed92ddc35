"""The catalog: an association's trainings and those it cross-lists, filtered and searched.

The list runs a fixed number of queries however many trainings there are: one for the
page of results, one for their competency rows, and a handful for the filter choices. Its
rendered filters and results are kept in the shared cache per catalog, filters, page,
language and set of private trainings hidden from the visitor, until anything they show
changes (``CATALOG`` moves on: courses/signals.py).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Subquery, Value, When
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.cache_generations import Generation
from lms.competencies.models import CompetencyArea, CompetencyFramework, EndorsementCategory
from lms.money import DEFAULT_CURRENCY
from lms.organizations.models import Organization
from lms.organizations.private_cohorts import hidden_private_trainings

from ..models import (
    CoursePage,
    CrossListing,
    DeliveryFormat,
    LiveEventPage,
    TrainingAgeBand,
    TrainingAreaHours,
    TrainingPage,
    WebinarPage,
)
from ..pricing import owner_currency, price_tag
from .translations import (
    canonical_only,
    canonical_page,
    language_versions,
    offered_in,
)

PER_PAGE = 20
# What a catalog shows: publishing, moving or deleting pages, and saving the organizations,
# areas, categories and sites it names, move this on.
CATALOG = Generation("catalog")
CATALOG_SECONDS = 3600
AGE_BAND_CHOICES = [
    ("", _("Any age band")),
    (TrainingAgeBand.INFANT, TrainingAgeBand.INFANT.label),
    (TrainingAgeBand.EARLY_CHILDHOOD, TrainingAgeBand.EARLY_CHILDHOOD.label),
]


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    area: str = ""
    category: str = ""
    delivery_format: str = ""
    age_band: str = ""
    provider: str = ""
    language: str = ""
    min_hours: Decimal | None = None
    max_hours: Decimal | None = None


def hours_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Competency area"), required=False)
    category = forms.ChoiceField(label=_("Endorsement category"), required=False)
    delivery_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Any format")), *DeliveryFormat.choices],
    )
    age_band = forms.ChoiceField(label=_("Age band"), required=False, choices=AGE_BAND_CHOICES)
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    # Each language in its own name, as learners look for it.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )
    min_hours = hours_field(_("At least (hours)"))
    max_hours = hours_field(_("At most (hours)"))

    def __init__(self, data=None, *, areas, categories, providers):
        super().__init__(data)
        self.fields["area"].choices = [("", _("Any area"))] + [
            (a.code, a.localized_name) for a in areas
        ]
        self.fields["category"].choices = [("", _("Any category"))] + [
            (c.code, f"{c.name} ({c.code})") for c in categories
        ]
        self.fields["provider"].choices = [("", _("Any provider"))] + [
            (o.slug, o.name) for o in providers
        ]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_hours"), cleaned.get("max_hours")
        if low is not None and high is not None and low > high:
            self.add_error("max_hours", _("“At most” must not be less than “at least”."))
        return cleaned

    def filters(self) -> CatalogFilters:
        """The filters that are valid; an invalid one is reported on the form and ignored."""
        if not self.is_bound:
            return CatalogFilters()
        self.is_valid()
        data = self.cleaned_data
        return CatalogFilters(
            q=(data.get("q") or "").strip(),
            area=data.get("area") or "",
            category=data.get("category") or "",
            delivery_format=data.get("delivery_format") or "",
            age_band=data.get("age_band") or "",
            provider=data.get("provider") or "",
            language=data.get("language") or "",
            min_hours=data.get("min_hours"),
            max_hours=data.get("max_hours"),
        )


# The query parameters a catalog page reads; any other is ignored (and never echoed back).
FILTER_KEYS = (*CatalogFilterForm.base_fields, "page")


def current_areas_query() -> QuerySet[CompetencyArea]:
    """The areas of the framework in effect today, in one query."""
    framework = CompetencyFramework.objects.filter(
        effective_date__lte=timezone.localdate()
    ).order_by("-effective_date", "-id")
    return CompetencyArea.objects.filter(framework_id=Subquery(framework.values("id")[:1]))


def catalog_base(*, catalog) -> QuerySet[TrainingPage]:
    """Live, public trainings in ``catalog``: its children and what it cross-lists, each
    once as THE training (a translated catalog lists its source's; translations present)."""
    catalog = canonical_page(catalog)
    own = Q(path__startswith=catalog.path, depth=catalog.depth + 1)
    listed = Q(pk__in=CrossListing.objects.filter(catalog=catalog).values("training_id"))
    return canonical_only(TrainingPage.objects.live().public().filter(own | listed))


def search_ids(*, query: str) -> list[int]:
    """Live trainings matching ``query`` through Wagtail search, best match first."""
    return [page.pk for page in TrainingPage.objects.live().search(query, operator="and")]


def search_keys(query: str) -> list:
    """The translation keys of the live trainings matching ``query``, best match first."""
    ids = search_ids(query=query)
    if not ids:
        return []
    keys = dict(TrainingPage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    return list(dict.fromkeys(keys[pk] for pk in ids if pk in keys))


def catalog_trainings(
    *, catalog, filters: CatalogFilters, base: QuerySet[TrainingPage] | None = None
) -> QuerySet[TrainingPage]:
    trainings = catalog_base(catalog=catalog) if base is None else base
    if filters.area:
        trainings = trainings.filter(
            pk__in=TrainingAreaHours.objects.filter(area__code=filters.area).values("page_id")
        )
    if filters.category:
        trainings = trainings.filter(
            pk__in=TrainingPage.suitable_categories.through.objects.filter(
                endorsementcategory__code=filters.category
            ).values("trainingpage_id")
        )
    if filters.delivery_format:
        trainings = trainings.filter(delivery_format=filters.delivery_format)
    if filters.age_band:
        trainings = trainings.filter(age_band__in=[filters.age_band, TrainingAgeBand.BOTH])
    if filters.provider:
        trainings = trainings.filter(provider__slug=filters.provider)
    if filters.language:
        trainings = offered_in(trainings, language=filters.language)
    if filters.min_hours is not None:
        trainings = trainings.filter(contact_hours__gte=filters.min_hours)
    if filters.max_hours is not None:
        trainings = trainings.filter(contact_hours__lte=filters.max_hours)
    if filters.q:
        # A match in any language finds THE training (a Spanish word finds the training
        # through its Spanish translation), ranked by its best match.
        keys = search_keys(query=filters.q)
        rank = Case(
            *(When(translation_key=key, then=Value(i)) for i, key in enumerate(keys)),
            output_field=IntegerField(),
        )
        trainings = (
            trainings.filter(translation_key__in=keys).annotate(rank=rank).order_by("rank", "title")
        )
    else:
        trainings = trainings.order_by("-first_published_at", "title")
    return (
        trainings.select_related("provider")
        .annotate(currency=owner_currency())
        .prefetch_related(
            Prefetch(
                "area_hours",
                queryset=TrainingAreaHours.objects.select_related("area").order_by(
                    "area__order", "area__code"
                ),
            )
        )
    )


def in_visitors_language(trainings: list) -> list:
    """Each training as the visitor reads it: its live translation in the active language
    when there is one (title, summary, link), with the training's own facts (hours per area,
    provider); each says which languages it is offered in (``languages``, empty when only
    the default one). One query."""
    if not trainings:
        return []
    offered, versions = language_versions(
        model=TrainingPage,
        translation_keys=[training.translation_key for training in trainings],
        language=get_language(),
    )
    names = dict(settings.LANGUAGES)
    shown = []
    for training in trainings:
        version = versions.get(training.translation_key)
        if version is not None and version.pk != training.pk:
            # The facts are the training's: reuse what was read for it.
            version._prefetched_objects_cache = training._prefetched_objects_cache
            version.provider = training.provider
            version.contact_hours = training.contact_hours
        else:
            version = training
        version.canonical = training
        codes = offered.get(training.translation_key, [])
        # Said only where it tells something: more than one language, or not the default.
        version.languages = (
            [(code, names.get(code, code)) for code in codes]
            if codes and codes != [settings.LANGUAGE_CODE]
            else []
        )
        shown.append(version)
    return shown


def kind_label(training) -> str:
    """Course, webinar or live event, read from the delivery format each type allows."""
    for model in (CoursePage, WebinarPage, LiveEventPage):
        if training.delivery_format in model.allowed_formats:
            return str(capfirst(model._meta.verbose_name))
    return str(_("Training"))


def catalog_context(*, catalog, request) -> dict:
    """The catalog's filters and results as HTML (``catalog_html``), from the cache when this
    catalog, query, language and visitor's hidden private trainings were rendered since the
    catalog last changed."""
    params = {k: v for k in FILTER_KEYS if (v := request.GET.get(k, ""))}
    hidden = hidden_private_trainings(user=request.user)
    hidden_ids = sorted(row["training_id"] for row in hidden)
    if getattr(request, "is_preview", False):
        return {
            "catalog_html": _render(
                catalog=catalog, request=request, params=params, hidden=hidden_ids
            )
        }
    facts = [catalog.pk, CATALOG.current(), get_language(), timezone.localdate().isoformat(),
             sorted(params.items()), hidden_ids]  # fmt: skip
    key = "attune:catalog:" + hashlib.sha256(json.dumps(facts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = _render(catalog=catalog, request=request, params=params, hidden=hidden_ids)
        cache.set(key, html, CATALOG_SECONDS)
    # Our own template's output, rendered with autoescaping.
    return {"catalog_html": mark_safe(html)}  # noqa: S308


def _render(*, catalog, request, params: dict, hidden: list[int]) -> str:
    base = catalog_base(catalog=catalog).exclude(pk__in=hidden)
    filtered = {k: v for k, v in params.items() if k != "page"}
    form = CatalogFilterForm(
        filtered or None,
        areas=list(current_areas_query()),
        categories=list(EndorsementCategory.objects.order_by("age_band", "order", "code")),
        providers=list(
            Organization.objects.filter(pk__in=base.values("provider_id")).order_by("name")
        ),
    )
    filters = form.filters()
    paginator = Paginator(catalog_trainings(catalog=catalog, filters=filters, base=base), PER_PAGE)
    page = paginator.get_page(params.get("page"))
    source = canonical_page(catalog)
    shown = in_visitors_language(list(page.object_list))
    for training in shown:
        training.kind_label = kind_label(training)
        # Prices are THE training's, in its own association's currency (cross-listings too).
        training.price_tag = price_tag(
            training=training.canonical,
            currency=training.canonical.currency or DEFAULT_CURRENCY,
            canonical=True,
        )
        training.catalog_url = training.get_url(request=request)
        training.cross_listed = not training.canonical.path.startswith(source.path)
    page.object_list = shown
    context = {
        "page": catalog,
        "filter_form": form,
        "filters": filters,
        "trainings": page,
        "paginator": paginator,
        "page_query": urlencode(filtered),
        "is_filtered": bool(filtered),
    }
    return render_to_string("courses/includes/catalog_results.html", context, request=request)

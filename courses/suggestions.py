"""Catalog trainings that would fill a learner's missing competency areas.

The endorsement portfolio page (``courses.views.portfolio``) passes
``suggest_trainings_for_areas`` to endorsement's evaluation, and gets plain dicts back. Three
queries: the view restrictions (``public()``), the trainings, their area rows; page URLs
come from Wagtail's cached site root paths.
"""

from django.db.models import Case, IntegerField, Prefetch, Q, Subquery, Sum, Value, When
from wagtail.models import Page

from lms.organizations.private_cohorts import hidden_private_trainings

from .models import TrainingAgeBand, TrainingAreaHours, TrainingPage
from .selectors.translations import canonical_only


def suggest_trainings_for_areas(
    *, area_codes, category=None, association=None, limit: int = 5
) -> list[dict]:
    """Live, public trainings covering ``area_codes``: those of ``association``'s own
    catalog first, then those giving the most hours to the missing areas. Trainings marked
    for the other age band than ``category``'s are left out."""
    codes = [str(code) for code in area_codes]
    if not codes or limit <= 0:
        return []
    in_missing = Q(area_hours__area__code__in=codes)
    trainings = (
        canonical_only(TrainingPage.objects.live().public())
        .filter(pk__in=TrainingAreaHours.objects.filter(area__code__in=codes).values("page_id"))
        .exclude(pk__in=hidden_private_trainings(user=None))
    )
    if category is not None:
        trainings = trainings.filter(
            age_band__in=[TrainingAgeBand.NONE, TrainingAgeBand.BOTH, category.age_band]
        )
    own = Value(1, output_field=IntegerField())
    if association is not None and association.site_id:
        root = Page.objects.filter(sites_rooted_here=association.site_id).values("path")[:1]
        own = Case(When(path__startswith=Subquery(root), then=Value(0)), default=Value(1))
    trainings = (
        trainings.annotate(
            own_catalog=own, missing_hours=Sum("area_hours__hours", filter=in_missing)
        )
        .select_related("provider")
        .prefetch_related(
            Prefetch("area_hours", queryset=TrainingAreaHours.objects.select_related("area"))
        )
        .order_by("own_catalog", "-missing_hours", "title", "pk")[:limit]
    )
    return [
        {
            "title": training.title,
            "url": training.get_url() or "",
            "provider": training.provider.name if training.provider else "",
            "total_hours": str(training.contact_hours) if training.contact_hours else None,
            "hours_by_area": {row.area.code: str(row.hours) for row in training.area_hours.all()},
        }
        for training in trainings
    ]

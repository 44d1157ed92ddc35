"""Building catalogs and trainings in code (the demo, imports and tests use these), and what
the page editor needs to add pages safely."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from lms.competencies.models import CompetencyArea, EndorsementCategory, SubArea

from ..models import (
    CatalogIndexPage,
    CrossListing,
    HomePage,
    TrainingAreaHours,
    TrainingFacilitator,
)
from ..selectors.catalog import current_areas_query
from ..selectors.ownership import association_for_page, cross_listing_error


@transaction.atomic
def ensure_catalog(*, organization, title="Training catalog", intro="") -> CatalogIndexPage:
    """The association's published catalog under its site's home page (created once)."""
    home = HomePage.objects.get(pk=organization.site.root_page_id)
    catalog = CatalogIndexPage.objects.child_of(home).first()
    if catalog is None:
        catalog = home.add_child(
            instance=CatalogIndexPage(title=title, slug="catalog", intro=intro)
        )
        catalog.save_revision().publish()
    return catalog


@transaction.atomic
def add_training(
    *,
    parent,
    page,
    area_hours: dict[str, Decimal | str],
    facilitators=(),
    sub_areas=(),
    categories=(),
    user=None,
    publisher=None,
    publish=True,
):
    """Add ``page`` (an unsaved course, webinar or live event) under ``parent`` with its
    competency rows and facilitators; publish it unless asked not to. Publishing checks the
    allocation like the editor does and refuses an incomplete training. ``user`` authors the
    revision; ``publisher`` (default: the author) must be allowed to publish."""
    areas = {area.code: area for area in current_areas_query()}
    page.slug = page.slug or slugify(page.title)[:80]
    page.live = False
    page.area_hours = [
        TrainingAreaHours(area=areas[code], hours=Decimal(str(hours)))
        for code, hours in area_hours.items()
    ]
    page.facilitator_links = [TrainingFacilitator(facilitator=f) for f in facilitators]
    parent.add_child(instance=page)
    if sub_areas:
        page.sub_areas.set(SubArea.objects.filter(code__in=sub_areas, area__in=areas.values()))
    if categories:
        page.suitable_categories.set(EndorsementCategory.objects.filter(code__in=categories))
    page.save()
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=publisher or user)
    return type(page).objects.get(pk=page.pk)


@transaction.atomic
def cross_list(*, catalog, training, user=None) -> CrossListing:
    """Show another association's published ``training`` in ``catalog`` (once), through a
    new published revision of the catalog so that editors see it in the page editor."""
    existing = catalog.cross_listings.filter(training=training).first()
    if existing is not None:
        return existing
    error = cross_listing_error(association=association_for_page(page=catalog), training=training)
    if error:
        raise ValidationError(error)
    catalog = CatalogIndexPage.objects.get(pk=catalog.pk)
    catalog.cross_listings.add(CrossListing(training=training))
    catalog.save_revision(user=user).publish(user=user)
    return CrossListing.objects.get(catalog=catalog, training=training)


def area(code: str) -> CompetencyArea:
    return current_areas_query().get(code=code)


def lock_children_of(*, parent) -> None:
    """Inside a transaction: wait until nobody else is adding a page under ``parent``, and keep
    them waiting until this transaction ends. A row lock on the parent page; on SQLite the
    transaction already holds the one write lock (IMMEDIATE), so this only reads."""
    list(Page.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True))

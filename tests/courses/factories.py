"""Helpers that build association sites, facilitators and trainings for catalog tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Page, Site

from courses.models import CoursePage, HomePage, LiveEventPage, WebinarPage
from courses.services.authoring import add_training, ensure_catalog
from lms.organizations.models import Facilitator, FacilitatorApproval, Role
from tests.factories import MembershipFactory, OrganizationFactory


class FacilitatorFactory(DjangoModelFactory):
    class Meta:
        model = Facilitator

    name = factory.Sequence(lambda n: f"Facilitator {n}")
    credentials = "LMSW, IMH-E"


def association(slug, *, name=None, hostname=None, port=80):
    """An association with its own site, home page and published catalog."""
    org = OrganizationFactory(
        slug=slug, name=name or f"{slug.title()} Association", short_name=slug.upper()[:8]
    )
    home = Page.get_first_root_node().add_child(instance=HomePage(title=org.name, slug=slug))
    org.site = Site.objects.create(
        hostname=hostname or f"{slug}.localhost",
        port=port,
        root_page=home,
        site_name=org.short_name,
    )
    org.save()
    org.catalog = ensure_catalog(organization=org)
    return org


def member(org, role=Role.EDITOR, **kwargs):
    return MembershipFactory(organization=org, role=role, **kwargs).user


def approved_facilitator(org, *, expires_on=None, **kwargs):
    facilitator = FacilitatorFactory(**kwargs)
    FacilitatorApproval.objects.create(
        facilitator=facilitator,
        association=org,
        approved_on=datetime.date(2024, 1, 1),
        expires_on=expires_on,
    )
    return facilitator


KINDS = {"course": CoursePage, "webinar": WebinarPage, "event": LiveEventPage}


def training(
    org,
    title,
    *,
    kind="course",
    hours=None,
    facilitators=None,
    publish=True,
    parent=None,
    sub_areas=(),
    categories=(),
    **fields,
):
    """A training in ``org``'s catalog; ``hours`` maps area codes to hours."""
    hours = hours or {"TF": "1.5"}
    fields.setdefault("summary", f"About {title.lower()}.")
    fields.setdefault("contact_hours", sum(Decimal(str(h)) for h in hours.values()))
    fields.setdefault("provider", org)
    if kind == "event":
        fields.setdefault("delivery_format", "live_webinar")
        fields.setdefault("starts_at", timezone.now() + datetime.timedelta(days=30))
        fields.setdefault("ends_at", fields["starts_at"] + datetime.timedelta(hours=3))
    if facilitators is None:
        facilitators = [approved_facilitator(org)]
    return add_training(
        parent=parent or org.catalog,
        page=KINDS[kind](title=title, **fields),
        area_hours=hours,
        facilitators=facilitators,
        sub_areas=sub_areas,
        categories=categories,
        publish=publish,
    )


def institute(slug="riverbend"):
    from lms.organizations.models import OrganizationKind

    return OrganizationFactory(
        slug=slug, name=f"{slug.title()} Faculty Institute", kind=OrganizationKind.FACULTY_INSTITUTE
    )


def library_module(owner, title="Serve and return", *, shared_with=(), shared_with_all=False):
    from courses.models import LibraryModule

    module = LibraryModule.objects.create(
        title=title,
        organization=owner,
        summary="Back-and-forth exchanges that build a young child's brain.",
        body=[("text", "<p>Notice, respond, name it, take turns.</p>")],
        shared_with_all=shared_with_all,
        live=False,
    )
    module.shared_with.set(shared_with)
    module.save_revision().publish()
    module.refresh_from_db()
    return module


def site_path(page) -> str:
    """The page's path on its own site, e.g. /catalog/a-course/."""
    return page.get_url_parts()[2]

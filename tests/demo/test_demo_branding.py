"""The demo's two associations come with their own logo and colours, and every page served on
an association's site, whichever app renders it, shows that brand in its header."""

import re

import pytest
from django.test import Client

from demo.loader import load_demo
from lms.accounts.models import User
from lms.organizations.branding import PLATFORM
from lms.organizations.contrast import AA_NORMAL_TEXT, WHITE, contrast_ratio
from lms.organizations.models import AssociationBranding, Organization

pytestmark = pytest.mark.django_db

# A page from each app, as the demo learner (centers: as the demo center's manager).
PAGES = {
    "catalog": ("/catalog/", "learner@attune.example"),
    "My learning": ("/learning/", "learner@attune.example"),
    "records": ("/records/", "learner@attune.example"),
    "portfolio": ("/portfolio/", "learner@attune.example"),
    "applications": ("/applications/", "learner@attune.example"),
    "centers": ("/centers/", "manager@attune.example"),
}
EXPECTED = {"great-lakes": ("GLAIMH", "#1f4e79"), "prairie": ("PAIECMH", "#5a3b1c")}


@pytest.fixture
def demo(framework):
    load_demo()
    return {o.slug: o for o in Organization.objects.filter(slug__in=EXPECTED)}


def test_demo_associations_have_their_own_logo_and_accessible_colours(demo):
    logos = set()
    for slug, (_short_name, colour) in EXPECTED.items():
        branding = AssociationBranding.objects.get(site=demo[slug].site)
        assert branding.brand_colour == colour
        assert branding.logo is not None and branding.logo.width > branding.logo.height
        branding.full_clean()  # the demo's colours pass the checks the admin form makes
        assert contrast_ratio(branding.accent_colour, WHITE) >= AA_NORMAL_TEXT
        logos.add(branding.logo_id)
    assert len(logos) == 2
    load_demo()  # again: nothing new
    assert AssociationBranding.objects.count() == 2
    assert set(AssociationBranding.objects.values_list("logo_id", flat=True)) == logos


def _user_client(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize("page", PAGES)
def test_every_apps_page_on_an_association_site_carries_its_brand(demo, page):
    path, email = PAGES[page]
    client = _user_client(email)
    for slug, (short_name, colour) in EXPECTED.items():
        other_slug = next(s for s in EXPECTED if s != slug)
        other_name, other_colour = EXPECTED[other_slug]
        response = client.get(path, HTTP_HOST=f"{slug}.localhost:8000")
        assert response.status_code == 200, (page, slug)
        brand = response.context["brand"]
        assert (brand.short_name, brand.colour, brand.organization_id) == (
            short_name,
            colour,
            demo[slug].pk,
        )
        assert brand.logo_url
        html = response.content.decode()
        assert f"--brand: {colour}" in html, (page, slug)
        # The header; the page body may name the other association (a cross-listed training).
        header = re.search(r"<header\b.*?</header>", html, re.S).group(0)
        assert brand.logo_url in header, f"{page} on {slug}: the header shows the logo"
        assert short_name in header and other_name not in header, (page, slug)
        assert other_colour not in header, (page, slug)


def test_the_platform_site_keeps_attunes_brand(demo):
    response = _user_client("learner@attune.example").get("/records/", HTTP_HOST="127.0.0.1")
    assert response.context["brand"] == PLATFORM

"""In Chromium, on a 390 px phone: the holder of a revoked endorsement is offered a new
application, not a renewal, and starts it by keyboard; the page never scrolls sideways and
has no serious or critical axe finding."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Application, Endorsement, EndorsementSource
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import small_rules

pytestmark = pytest.mark.e2e


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px ({width} px wide)"


def test_the_holder_of_a_revoked_endorsement_applies_again_on_a_phone(browser_page):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(lakes)
    learner = UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Delgado")
    today = timezone.localdate()
    Endorsement.objects.create(
        learner=learner,
        association=lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=today - datetime.timedelta(days=400),
        renewal_due=today + datetime.timedelta(days=300),
        source=EndorsementSource.APPLICATION,
        revoked_at=timezone.now(),
        revocation_reason="Lapsed license.",
    )

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "rosa@example.org")
    page.goto("/applications/")
    endorsements = page.locator("#endorsements")
    expect(endorsements).to_contain_text("Not renewable (revoked)")
    expect(
        endorsements.get_by_role("button", name="Renew IFS with Great Lakes Association")
    ).to_have_count(0)
    _fits(page)
    assert serious_violations(page, name="revoked-endorsement") == []
    screenshot(page, "revoked-endorsement", "phone")

    again = endorsements.get_by_role(
        "button", name="Apply again for IFS with Great Lakes Association"
    )
    again.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial application")
    assert Application.objects.filter(learner=learner, kind="initial").count() == 1
    _fits(page)

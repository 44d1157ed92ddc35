"""Journey: the reviewer approving the demo application, in Chromium.

The demo loads as `make run` loads it. Great Lakes' reviewer (gl-reviewer@) finds Casey
Morgan's IFS application in *Endorsement applications*, with the three references answered
and the other reviewer's review in; she marks the evidence per competency area, recommends
approval and records the decision. Casey lists herself in the Great Lakes registry, where the
public now finds her beside the demo's endorsed professional, and her endorsement's public
verification page says it is current. axe finds no serious or critical violation on the
screens visited."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.loader import DEMO_PASSWORD, load_demo
from lms.endorsement.models import Application, ApplicationStatus, Endorsement
from lms.endorsement.selectors.requirements import category_areas
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e
JOURNEY = "reviewer"
REVIEWER = "gl-reviewer@attune.example"
APPLICANT = "applicant@attune.example"


def test_the_reviewer_approves_the_demo_application_and_the_registry_lists_the_holder(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    application = Application.objects.get(learner__email=APPLICANT)
    areas = category_areas(category=application.category)
    violations = []

    page = browser_page
    sign_in(page, REVIEWER, DEMO_PASSWORD)
    page.goto("/admin/")
    page.get_by_role("link", name="Endorsement applications").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Endorsement applications")
    queue_row = page.get_by_role("row", name=re.compile("Casey Morgan"))
    expect(queue_row).to_contain_text("In review")
    screenshot(page, JOURNEY, "01-queue")
    violations += serious_violations(page, name="reviewer-queue")

    queue_row.get_by_role("link", name="Casey Morgan").click()
    expect(page.locator("#status")).to_have_text("In review")
    expect(page.get_by_role("table", name="Records as submitted")).to_contain_text(
        "Relationship-based practice with families"
    )
    for rater in ("Teresa Alvarez", "Ben Okoro", "Hana Sato"):
        reference = page.get_by_role("row", name=re.compile(f"^{rater} \\("))
        expect(reference).to_contain_text("Received")
    screenshot(page, JOURNEY, "02-application")
    violations += serious_violations(page, name="reviewer-application")

    for area in areas:
        page.get_by_label(f"{area.name} ({area.code})").select_option("met")
    page.get_by_label("Recommendation").select_option("approve")
    page.get_by_role("button", name="Record my review").click()
    expect(page.get_by_text("Your review was recorded.")).to_be_visible()
    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Comments to the applicant").fill("Welcome to the Great Lakes registry.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#status")).to_have_text("Approved")
    screenshot(page, JOURNEY, "03-approved")
    violations += serious_violations(page, name="reviewer-approved")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    endorsement = Endorsement.objects.get(learner__email=APPLICANT)

    # Casey chooses to be listed; the public registry and verification page show her.
    page.context.clear_cookies()
    sign_in(page, APPLICANT, DEMO_PASSWORD)
    page.goto("/applications/")
    held = page.get_by_role("table", name="Endorsements you hold")
    expect(held).to_contain_text("Infant Family Specialist")
    held.get_by_role("button", name=re.compile("List me")).click()
    expect(page.get_by_role("status")).to_contain_text("You are listed in")
    page.context.clear_cookies()

    page.goto("/registry/great-lakes/")
    registry = page.get_by_role("table", name="Endorsed people")
    expect(registry.get_by_role("row", name=re.compile("Casey Morgan"))).to_contain_text(
        "Infant Family Specialist (IFS)"
    )
    expect(registry.get_by_role("row", name=re.compile("Jordan Ellis"))).to_be_visible()
    screenshot(page, JOURNEY, "04-registry")
    violations += serious_violations(page, name="registry")

    page.goto(f"/endorsements/verify/{endorsement.verification_id}/")
    expect(page.get_by_role("status")).to_contain_text(
        "Current: Casey Morgan holds endorsement as Infant Family Specialist (IFS)"
    )
    screenshot(page, JOURNEY, "05-verification")
    violations += serious_violations(page, name="verification")
    assert not violations, "\n".join(violations)

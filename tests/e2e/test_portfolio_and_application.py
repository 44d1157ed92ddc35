"""In Chromium on a phone (390 px): a learner reads their portfolio's chart of hours per
competency area (and the table beside it), adds outside training with the running total of
hours per area, then walks the application's steps to submission. Every screen fits the phone
without sideways scrolling and axe-core finds nothing serious or critical."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from lms.accounts.services import update_profile
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Application, ApplicationStatus
from lms.endorsement.services.applications import start_application
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import small_rules
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e
JOURNEY = "portfolio-and-application"
PHONE = {"width": 390, "height": 844}
# The first elements of the page's main content that reach past the right edge.
TOO_WIDE = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


def fits_a_phone_and_passes_axe(page, name: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (
        f"{name} scrolls sideways: {widths[0]} px > {widths[1]} px, past the edge: "
        + ", ".join(page.evaluate(TOO_WIDE))
    )
    assert serious_violations(page, name=f"{JOURNEY}-{name}") == []
    screenshot(page, JOURNEY, name)


@pytest.fixture
def learner_with_a_draft(live_server):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(lakes)
    ifs = EndorsementCategory.objects.get(code="IFS")
    learner = UserFactory(email="lee@example.org", first_name="Lee", last_name="Parker")
    update_profile(user=learner, association=lakes, target_category=ifs)
    issue(
        learner,
        title="Attachment and the first year",
        duration_hours=Decimal("2"),
        area_hours={"TF": Decimal("1.5"), "REF": Decimal("0.5")},
    )
    application = start_application(
        learner=learner, association=lakes, category=ifs, kind="initial"
    )
    return learner, application


def test_portfolio_chart_outside_training_and_the_application_stepper_on_a_phone(
    browser_page, learner_with_a_draft
):
    learner, application = learner_with_a_draft
    page = browser_page
    page.set_viewport_size(PHONE)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, learner.email)

    # The portfolio: the chart is drawn from the page's data, the table says the same.
    page.goto("/portfolio/")
    chart = page.get_by_role("img", name=re.compile("^Hours per competency area"))
    expect(chart).to_be_visible()
    expect(page.locator(".portfolio-chart[data-ready]")).to_be_visible()
    assert page.locator("#area-chart").evaluate("c => c.width > 0 && c.height > 0")
    assert "Theoretical Foundations 1.5" in chart.get_attribute("aria-label")
    table = page.get_by_role("table", name="Hours per competency area")
    expect(
        table.get_by_role("row", name=re.compile(r"Theoretical Foundations \(TF\)"))
    ).to_contain_text("1.5")
    fits_a_phone_and_passes_axe(page, "portfolio")

    # The application opens on its first step, the records already in it.
    page.goto(f"/applications/{application.pk}/")
    steps = page.get_by_role("navigation", name="Application steps")
    expect(steps.get_by_role("listitem")).to_have_count(6)
    expect(steps.get_by_role("link", name=re.compile("Your records"))).to_have_attribute(
        "aria-current", "step"
    )
    expect(page.get_by_role("heading", level=2)).to_contain_text("Step 1 of 6")
    expect(page.locator("#step-state")).to_have_text("Needs attention")
    expect(page.locator("#step-missing")).to_contain_text("1 hour more of training")
    expect(page.get_by_role("table", name="Training records in this application")).to_contain_text(
        "Attachment and the first year"
    )
    fits_a_phone_and_passes_axe(page, "step-1-records")

    # Outside training, with the running total of hours per area as the learner types.
    page.get_by_role("link", name="Next: Outside training").click()
    expect(page.locator("#step-state")).to_have_text("Not started")
    fits_a_phone_and_passes_axe(page, "step-2-outside-training")
    page.get_by_role("link", name="Add outside training").click()
    page.get_by_label("Title").fill("Mandated reporting in Michigan")
    page.get_by_label("Provider").fill("Michigan Department of Health")
    page.get_by_label("Date completed").fill(datetime.date(2024, 5, 2).isoformat())
    page.get_by_label("Delivery format").select_option(label="Live webinar")
    total = page.locator("#area-total")
    expect(total).to_have_text("No hours credited to an area yet.")
    page.get_by_label("Duration (clock hours)").fill("1.5")
    page.get_by_label("Law, Regulation and Agency Policy (LRP)").fill("1")
    expect(total).to_have_text("Areas: 1 of 1.5 h. 0.5 h still to credit.")
    page.get_by_label("Reflection (REF)").fill("1")
    expect(total).to_have_text("Areas: 2 of 1.5 h. 0.5 h more than the duration.")
    expect(total).to_have_class(re.compile("is-over"))
    page.get_by_label("Reflection (REF)").fill("0.5")
    expect(total).to_have_text("Areas: 1.5 of 1.5 h. Adds up to the duration.")
    fits_a_phone_and_passes_axe(page, "external-training-form")
    page.get_by_role("button", name="Add training").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "was added to your records and to this application"
    )
    expect(page.locator("#step-state")).to_have_text("Done")
    expect(page.get_by_role("table", name="Outside training in this application")).to_contain_text(
        "Mandated reporting in Michigan"
    )
    # Records now count 3.5 hours: the first step is done too.
    expect(steps.get_by_role("link", name=re.compile("Your records"))).to_contain_text("Done")

    # RSC: these rules ask for none. The log form itself fits the phone too.
    page.get_by_role("link", name="Next: Reflective supervision/consultation").click()
    expect(page.locator("#step-state")).to_have_text("Done")
    fits_a_phone_and_passes_axe(page, "step-3-rsc")
    page.get_by_role("link", name="Log an RSC session").click()
    expect(page.get_by_role("group", name="Session format")).to_be_visible()
    fits_a_phone_and_passes_axe(page, "rsc-form")
    page.go_back()

    # Checklist evidence.
    page.get_by_role("link", name="Next: Checklist evidence").click()
    fits_a_phone_and_passes_axe(page, "step-4-checklist")
    page.get_by_label("Checklist item").select_option("code_of_ethics")
    page.get_by_label("Date done").fill("2024-01-10")
    page.get_by_role("button", name="Tick item").click()
    expect(page.get_by_role("status").first).to_contain_text("Ticked: Code of Ethics signed.")
    expect(page.locator("#step-state")).to_have_text("Done")

    # References: three raters, one of them the current supervisor.
    page.get_by_role("link", name="Next: References").click()
    expect(page.locator("#step-state")).to_have_text("Not started")
    fits_a_phone_and_passes_axe(page, "step-5-references")
    for i in range(3):
        page.get_by_label("Rater's name").fill(f"Rater {i}")
        page.get_by_label("Rater's e-mail address").fill(f"rater{i}@example.org")
        page.get_by_label("How they know your work").select_option(
            "current_supervisor" if i == 0 else "colleague"
        )
        page.get_by_role("button", name="Name rater").click()
        expect(page.get_by_role("status").first).to_contain_text(f"We e-mailed Rater {i}")
        expect(page.locator("#step-state")).to_have_text("Done" if i == 2 else "Needs attention")

    # Review and submit: every step done, one press submits.
    page.get_by_role("link", name="Next: Review and submit").click()
    expect(page.locator("#steps-done")).to_have_text("6 of 6 steps done")
    expect(page.locator("#readiness")).to_contain_text("Everything needed to submit is in place.")
    fits_a_phone_and_passes_axe(page, "step-6-review")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("status").first).to_contain_text("submitted for review")
    expect(page.locator("#status")).to_have_text("Submitted")
    expect(page.get_by_role("navigation", name="Application steps")).to_have_count(0)
    fits_a_phone_and_passes_axe(page, "submitted")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Application.objects.get(pk=application.pk).submissions.count() == 1
    assert errors == []

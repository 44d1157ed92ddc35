"""In Chromium: a learner starts an application and finds their records already in it, ticks
the Code of Ethics with evidence, names three raters and submits; the raters answer; a
reviewer records their review and approves in the admin; the learner sees the endorsement
and its renewal date."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from lms.endorsement.models import Application, ApplicationStatus, Endorsement
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.review import record_review
from tests.conftest import screenshot, sign_in
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import rate, reviewer_of, small_rules
from tests.lms.records.factories import issue
from tests.lms.records.test_views import PDF_BYTES

pytestmark = pytest.mark.e2e
JOURNEY = "applications"


def test_learner_applies_and_a_reviewer_approves_in_the_admin(browser_page, live_server, tmp_path):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(lakes)
    first_reviewer = reviewer_of(lakes, first_name="Rowan", last_name="First")
    second_reviewer = reviewer_of(lakes, first_name="Morgan", last_name="Second")
    learner = UserFactory(email="lee@example.org", first_name="Lee", last_name="Parker")
    issue(
        learner,
        title="Attachment and the first year",
        duration_hours=Decimal("3.5"),
        area_hours={"TF": Decimal("2.5"), "REF": Decimal("1")},
    )
    raters = [UserFactory(email=f"rater{i}@example.org") for i in range(3)]
    evidence = tmp_path / "code-of-ethics.pdf"
    evidence.write_bytes(PDF_BYTES)

    page = browser_page
    sign_in(page, "lee@example.org")
    page.get_by_role("link", name="Applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endorsement applications")
    page.get_by_label("Association").select_option(label="Great Lakes Association")
    page.get_by_label("Endorsement category").select_option("IFS")
    page.get_by_label("Initial application").check()
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial application")

    # The record is already in the application: nothing to retype.
    training = page.get_by_role("table", name="Training records in this application")
    expect(
        training.get_by_role("row", name=re.compile("Attachment and the first year"))
    ).to_contain_text("3.5")
    # The application is a stepper: each step its own page, its state in the step list.
    steps = page.get_by_role("navigation", name="Application steps")
    steps.get_by_role("link", name=re.compile("Review and submit")).click()
    readiness = page.locator("#readiness")
    expect(readiness).to_contain_text("Code of Ethics signed: not ticked yet.")
    expect(readiness).to_contain_text("Name 3 more reference raters.")
    screenshot(page, JOURNEY, "draft-with-records")

    steps.get_by_role("link", name=re.compile("Checklist evidence")).click()
    checklist = page.locator("#checklist")
    checklist.get_by_label("Checklist item").select_option("code_of_ethics")
    checklist.get_by_label("Date done").fill("2024-01-10")
    checklist.get_by_label("Evidence (PDF or image, optional)").set_input_files(str(evidence))
    checklist.get_by_role("button", name="Tick item").click()
    expect(page.get_by_role("status")).to_contain_text("Ticked: Code of Ethics signed.")

    steps.get_by_role("link", name=re.compile("^References")).click()
    references = page.locator("#references")
    for i, rater in enumerate(raters):
        references.get_by_label("Rater's name").fill(f"Rater {i}")
        references.get_by_label("Rater's e-mail address").fill(rater.email)
        references.get_by_label("How they know your work").select_option(
            "current_supervisor" if i == 0 else "colleague"
        )
        references.get_by_role("button", name="Name rater").click()
        expect(page.get_by_role("status")).to_contain_text(f"We e-mailed Rater {i}")
    raters_table = page.get_by_role("table", name="Your reference raters")
    expect(raters_table.get_by_text("Waiting for the rater")).to_have_count(3)
    steps.get_by_role("link", name=re.compile("Review and submit")).click()
    expect(page.locator("#readiness")).to_contain_text("Everything needed to submit is in place.")
    screenshot(page, JOURNEY, "ready-to-submit")

    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("status")).to_contain_text("submitted for review")
    expect(page.locator("#status")).to_have_text("In review")
    screenshot(page, JOURNEY, "submitted")

    application = Application.objects.get(learner=learner)
    assert application.assignments.count() == 2
    for rater in raters:
        rate(application, rater)
    record_review(
        application=application,
        reviewer=first_reviewer,
        marks={a.code: ("met", "") for a in category_areas(category=application.category)},
        recommendation="approve",
    )

    # The second reviewer reviews and decides in Wagtail's admin.
    page.context.clear_cookies()
    sign_in(page, second_reviewer.email)
    page.goto("/admin/endorsement-applications/")
    page.get_by_role("link", name="Lee Parker").click()
    expect(page.locator("#status")).to_have_text("In review")
    expect(page.get_by_role("table", name="Records as submitted")).to_contain_text(
        "Attachment and the first year"
    )
    for area in category_areas(category=application.category):
        page.get_by_label(f"{area.name} ({area.code})").select_option("met")
    page.get_by_label("Recommendation").select_option("approve")
    page.get_by_role("button", name="Record my review").click()
    expect(page.get_by_text("Your review was recorded.")).to_be_visible()
    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Comments to the applicant").fill("Welcome to the registry.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#status")).to_have_text("Approved")
    screenshot(page, JOURNEY, "reviewer-approved")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    endorsement = Endorsement.objects.get(learner=learner)
    today = timezone.localdate()
    due = datetime.date(today.year if today.timetuple().tm_yday == 1 else today.year + 1, 12, 31)
    assert endorsement.renewal_due == due

    # The learner sees the endorsement and its renewal date.
    page.context.clear_cookies()
    sign_in(page, "lee@example.org")
    page.goto(f"/applications/{application.pk}/")
    endorsed = page.locator("#endorsement")
    expect(endorsed).to_contain_text("Endorsed")
    expect(page.locator("#renewal-due")).to_have_text(date_format(due))
    expect(page.locator("#decisions")).to_contain_text("Welcome to the registry.")
    screenshot(page, JOURNEY, "learner-sees-endorsement")
    page.get_by_role("link", name="All your applications").click()
    expect(page.get_by_role("table", name="Endorsements you hold")).to_contain_text(
        date_format(due)
    )

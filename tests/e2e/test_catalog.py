"""A learner browses an association's catalog in Chromium and reads a course's hours."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import screenshot
from tests.courses.factories import association, training

pytestmark = pytest.mark.e2e


def test_catalog_filter_open_course_and_read_the_hours_chart(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    # Association sites live on <slug>.localhost; Chromium resolves that to this machine.
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    training(
        great_lakes,
        "Attachment across the first year",
        hours={"TF": "1.5", "REF": "0.5"},
        summary="How a secure base grows between infants and caregivers.",
    )
    training(
        great_lakes, "Screening for social-emotional concerns", kind="webinar", hours={"DSS": "2"}
    )
    training(great_lakes, "Mandated reporting and ethics", hours={"LRP": "1"})

    page = browser_page
    page.goto(f"http://great-lakes.localhost:{port}/catalog/")
    expect(page.get_by_role("heading", name="3 trainings")).to_be_visible()

    page.get_by_label("Competency area", exact=True).select_option(label="Theoretical Foundations")
    page.get_by_role("button", name="Show trainings").press("Enter")
    expect(page.get_by_role("heading", name="1 training matches your filters")).to_be_visible()
    results = page.locator(".training-list")
    expect(results.get_by_role("link")).to_have_text(["Attachment across the first year"])
    screenshot(page, "catalog", "filtered-by-area")

    course_link = page.get_by_role("link", name="Attachment across the first year")
    course_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attachment across the first year")

    chart = page.get_by_role("img", name="Hours per competency area")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Hours per competency area")
    expect(table.get_by_role("row")).to_have_count(4)  # header, two areas, total
    expect(table.get_by_role("row", name="Theoretical Foundations 1.5 75.0%")).to_be_visible()
    expect(table.get_by_role("row", name="Reflection 0.5 25.0%")).to_be_visible()
    screenshot(page, "catalog", "course-hours-chart")

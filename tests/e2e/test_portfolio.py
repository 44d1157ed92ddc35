"""A learner with demo records opens the portfolio in Chromium, sees a gap in one area,
follows a suggested catalog training and downloads the application export."""

import csv
import io
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from courses.demo import DEMO_PASSWORD, load_demo
from lms.endorsement.demo import load_demo_requirements
from lms.organizations.models import Organization
from lms.records.demo import load_demo_records
from tests.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


def test_learner_sees_a_gap_follows_a_suggestion_and_exports(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    assert load_demo_records() == 4
    load_demo_requirements()
    # The demo association's site answers on the live server's port (great-lakes.localhost
    # resolves to this machine in Chromium).
    port = urlparse(live_server.url).port
    site = Organization.objects.get(slug="great-lakes").site
    site.port = port
    site.save()

    page = browser_page
    sign_in(page, "learner@attune.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endorsement portfolio")
    expect(page.get_by_label("Endorsement category")).to_have_value("IFS")
    expect(
        page.get_by_role("heading", name="Infant Family Specialist (IFS) with Great Lakes")
    ).to_be_visible()

    # The rules with their progress, and the gap in an area, in words and in the table.
    training = page.get_by_role("progressbar", name="Training hours")
    expect(training).to_have_attribute("value", "29.50")
    expect(training).to_have_attribute("max", "30.00")
    missing = page.locator("#missing")
    expect(missing).to_contain_text("0.5 hours more of training (29.5 of 30 so far).")
    expect(missing).to_contain_text("No training yet in Law, Regulation and Agency Policy.")
    areas = page.get_by_role("table", name="Hours per competency area")
    expect(
        areas.get_by_role("row", name="Law, Regulation and Agency Policy (LRP)")
    ).to_contain_text("No training yet")
    expect(areas.get_by_role("row", name="Direct Service Skills (DSS)")).to_contain_text("Covered")
    screenshot(page, "portfolio", "gaps-and-suggestions")

    # Follow a suggested training from the association's catalog.
    suggestions = page.locator("#suggestions")
    link = suggestions.get_by_role("link", name="Mandated reporting, ethics and the relationship")
    expect(suggestions).to_contain_text("Law, Regulation and Agency Policy (1.5 h)")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mandated-reporting-ethics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mandated reporting, ethics and the relationship"
    )
    screenshot(page, "portfolio", "suggested-training")

    # Back to the portfolio and download the export for the application.
    page.goto(f"{live_server.url}/portfolio/")
    export = page.locator("#export")
    export.get_by_label("From").fill("2019-01-01")
    with page.expect_download() as download_info:
        export.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("attune-training-record-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Record ID", "Date", "Duration (clock hours)"]
    titles = [row[3] for row in rows[1:]]
    assert titles == [
        "Circle of Security Parenting facilitator training",
        "Attachment and the first year: a relationship-based webinar",
        "Cultural humility in home visiting",
    ]
    screenshot(page, "portfolio", "export")

"""Journey 2, the professional: from the catalog to an application export, in Chromium.

The demo learner (working toward Infant Family Specialist with Great Lakes) finds the short
demo webinar by filtering the catalog on a competency area, enrolls, watches it at 2×, passes
the post-test, evaluates it and downloads the certificate; the portfolio's hours go up and
still show a gap in one area, with a catalog training suggested for it; the learner adds an
external training for that area and logs a reflective supervision session, and downloads the
export for the application."""

import csv
import datetime
import io
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Enrollment, WatchProgress
from demo.learning import CLIP_SECONDS, load_demo_webinar
from demo.loader import DEMO_PASSWORD, load_demo
from demo.requirements import load_demo_requirements
from lms.accounts.models import User
from lms.organizations.models import Facilitator, Organization
from lms.records.models import TrainingRecord
from tests.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e
JOURNEY = "professional"
LEARNER = "learner@attune.example"
WEBINAR = "Serve and return in ten seconds"


def nav(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def training_hours(page):
    return page.get_by_role("progressbar", name="Training hours")


def test_find_complete_and_evidence_a_webinar_then_export_for_the_application(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    load_demo_requirements()
    great_lakes = Organization.objects.get(slug="great-lakes")
    webinar = load_demo_webinar(
        organization=great_lakes, facilitators=[Facilitator.objects.get(name="Dana Whitfield")]
    )
    # The demo association's site answers on the live server's port (great-lakes.localhost
    # resolves to this machine in Chromium).
    port = urlparse(live_server.url).port
    great_lakes.site.port = port
    great_lakes.site.save()
    site = f"http://great-lakes.localhost:{port}"
    learner = User.objects.get(email=LEARNER)

    page = browser_page
    sign_in(page, LEARNER, DEMO_PASSWORD, site=site)
    nav(page, "Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endorsement portfolio")
    expect(
        page.get_by_role("heading", name="Infant Family Specialist (IFS) with Great Lakes")
    ).to_be_visible()
    expect(training_hours(page)).to_have_attribute("value", "29.50")
    expect(training_hours(page)).to_have_attribute("max", "30.00")
    screenshot(page, JOURNEY, "01-portfolio-before")

    # Find the webinar by the competency area it covers.
    page.goto(f"{site}/catalog/")
    page.get_by_label("Competency area", exact=True).select_option(label="Direct Service Skills")
    page.get_by_role("button", name="Show trainings").click()
    expect(page.get_by_role("heading", name=re.compile("match your filters"))).to_be_visible()
    results = page.locator(".training-list")
    expect(results.get_by_role("link", name="Mandated reporting")).to_have_count(0)
    screenshot(page, JOURNEY, "02-catalog-filtered-by-area")
    results.get_by_role("link", name=WEBINAR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR)

    # Enroll and watch at 2×: the heartbeat reports the share watched as the server counts it.
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled in")).to_be_visible()
    player = page.locator("[data-attune-player]")
    player.get_by_label("Speed").select_option("2")
    player.get_by_role("button", name="Play").click()
    expect(page.locator("[data-watch-coverage]")).to_have_text(
        re.compile(r"^(9[5-9]|100)$"), timeout=30_000
    )
    progress = WatchProgress.objects.get(learner=learner)
    assert progress.max_rate_claimed == 2
    assert progress.wall_seconds < CLIP_SECONDS * 0.8  # about half the clip's length
    screenshot(page, JOURNEY, "03-watched-at-2x")

    # With no reload, the checklist has followed the heartbeat and the end of the video
    # offers the next step: the post-test.
    expect(page.locator("[data-rule='watch']")).to_have_class("met", timeout=15_000)
    page.wait_for_function("document.querySelector('[data-attune-player] video').ended")
    page.get_by_role("link", name="Take the post-test").click()
    page.get_by_role("button", name="Start the post-test").click()
    page.get_by_label("The child's cue").check()
    page.get_by_label("Name it").check()
    page.get_by_label("Take turns").check()
    page.get_by_label("True", exact=True).check()
    screenshot(page, JOURNEY, "04-post-test")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Passed: 100%"))).to_be_visible()
    expect(page.get_by_text("Adults notice and respond")).to_be_visible()
    page.get_by_role("link", name="Back to the training").click()

    # Evaluate it; the record is issued, with its certificate.
    page.get_by_role("link", name="open the evaluation").click()
    for group in page.locator("fieldset.likert").all():
        group.get_by_label("Agree", exact=True).check()
    page.get_by_label("What will you do differently in your practice?").fill(
        "Wait for the baby's cue before I talk."
    )
    page.get_by_label("I completed this training myself.").check()
    screenshot(page, JOURNEY, "05-evaluation")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your training record has been issued.")).to_be_visible()
    certificate = page.get_by_role("link", name="download the certificate (PDF)")
    with page.expect_download() as download_info:
        certificate.click(modifiers=["Alt"])  # Alt-click saves the link instead of opening it
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    screenshot(page, JOURNEY, "06-completed")
    record = TrainingRecord.objects.get(learner=learner, title=WEBINAR)
    assert record.duration_hours == webinar.contact_hours
    assert Enrollment.objects.get(learner=learner).record_id == record.pk

    # My learning shows it as a finished card with its certificate.
    page.goto(f"{site}/learning/")
    card = page.locator(".learning-card").filter(has_text=WEBINAR)
    expect(card.locator("[data-next-action='certificate']")).to_be_visible()

    # The portfolio counts the new hours and still names the gap, with a training for it.
    nav(page, "Portfolio").click()
    expect(training_hours(page)).to_have_attribute("value", "29.75")
    missing = page.locator("#missing")
    expect(missing).to_contain_text("0.25 hours more of training (29.75 of 30 so far).")
    expect(missing).to_contain_text("No training yet in Law, Regulation and Agency Policy.")
    areas = page.get_by_role("table", name="Hours per competency area")
    expect(
        areas.get_by_role("row", name="Law, Regulation and Agency Policy (LRP)")
    ).to_contain_text("No training yet")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Law, Regulation and Agency Policy (1.5 h)")
    expect(
        suggestions.get_by_role("link", name="Mandated reporting, ethics and the relationship")
    ).to_be_visible()
    screenshot(page, JOURNEY, "07-portfolio-after-webinar")

    # Training taken elsewhere fills the gap.
    nav(page, "Records").click()
    page.get_by_role("link", name="Add external training").click()
    page.get_by_label("Title").fill("Mandated reporting in Michigan")
    page.get_by_label("Provider").fill("Michigan Department of Health")
    page.get_by_label("Date completed").fill((datetime.date.today().replace(day=1)).isoformat())
    page.get_by_label("Duration (clock hours)").fill("1")
    page.get_by_label("Delivery format").select_option(label="Live webinar")
    page.get_by_label("Facilitators").fill("Jordan Blake, JD")
    page.get_by_label("Law, Regulation and Agency Policy (LRP)").fill("1")
    screenshot(page, JOURNEY, "08-external-training")
    page.get_by_role("button", name="Add training").click()
    expect(
        page.get_by_text("“Mandated reporting in Michigan” was added to your records.")
    ).to_be_visible()

    # A reflective supervision session, sent to the supervisor to co-sign.
    nav(page, "Records").click()
    page.get_by_role("link", name="Log an RSC session").click()
    page.get_by_label("Session date").fill(datetime.date.today().isoformat())
    page.get_by_label("Duration (clock hours)").fill("1.5")
    page.get_by_label("Individual").check()
    page.get_by_label("Delivery format").select_option(label="Video call")
    page.get_by_label("Supervisor/consultant name").fill("Dana Whitfield")
    page.get_by_label("Supervisor/consultant e-mail").fill("dana@supervision.example")
    page.get_by_label("Their endorsement").fill("IMHM-C")
    screenshot(page, JOURNEY, "09-rsc-session")
    page.get_by_role("button", name="Log session and ask for co-signature").click()
    expect(page.get_by_text("We e-mailed dana@supervision.example")).to_be_visible()
    expect(page.locator(".cosign-status")).to_have_text("Status: Awaiting co-signature")
    screenshot(page, JOURNEY, "10-rsc-awaiting-co-signature")

    nav(page, "Portfolio").click()
    expect(training_hours(page)).to_have_attribute("value", "30.75")
    expect(page.locator("#missing")).not_to_contain_text("Law, Regulation and Agency Policy")
    screenshot(page, JOURNEY, "11-portfolio-gap-filled")

    # The export for the application lists every training entry.
    export = page.locator("#export")
    export.get_by_label("From").fill("2019-01-01")
    with page.expect_download() as download_info:
        export.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("attune-training-record-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Record ID", "Date", "Duration (clock hours)"]
    titles = [row[3] for row in rows[1:]]
    assert WEBINAR in titles and "Mandated reporting in Michigan" in titles
    assert "Cultural humility in home visiting" in titles
    screenshot(page, JOURNEY, "12-export")

"""A learner completes the short demo webinar in Chromium: enrolls, watches at 2×, passes
the post-test, evaluates it and finds the new record and its certificate."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from courses.demo_learning import CLIP_SECONDS, load_demo_webinar
from courses.models import Enrollment, WatchProgress
from lms.records.models import TrainingRecord
from tests.conftest import screenshot, sign_in
from tests.courses.factories import approved_facilitator, association, site_path
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    yield
    Site.clear_site_root_paths_cache()


def test_enroll_watch_at_2x_pass_evaluate_and_get_the_record(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    webinar = load_demo_webinar(
        organization=great_lakes, facilitators=[approved_facilitator(great_lakes)]
    )
    learner = UserFactory()

    page = browser_page
    sign_in(page, learner.email)
    page.goto(site_path(webinar))
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled in")).to_be_visible()

    player = page.locator("[data-attune-player]")
    player.get_by_label("Speed").select_option("2")
    player.get_by_role("button", name="Play").click()
    # The heartbeat reports the share watched as the server counts it.
    expect(page.locator("[data-watch-coverage]")).to_have_text(
        re.compile(r"^(9[5-9]|100)$"), timeout=30_000
    )
    progress = WatchProgress.objects.get(learner=learner)
    assert progress.max_rate_claimed == 2
    assert progress.wall_seconds < CLIP_SECONDS * 0.8  # about half the clip's length
    screenshot(page, "learning", "watched-at-2x")

    page.reload()
    expect(page.locator("[data-rule='watch']")).to_have_class("met")
    page.get_by_role("link", name="Post-test").click()
    page.get_by_role("button", name="Start the post-test").click()
    page.get_by_label("The child's cue").check()
    page.get_by_label("Name it").check()
    page.get_by_label("Take turns").check()
    page.get_by_label("True", exact=True).check()
    screenshot(page, "learning", "post-test")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Passed: 100%"))).to_be_visible()
    expect(page.get_by_text("Adults notice and respond")).to_be_visible()
    page.get_by_role("link", name="Back to the training").click()

    page.get_by_role("link", name="open the evaluation").click()
    for group in page.locator("fieldset.likert").all():
        group.get_by_label("Agree", exact=True).check()
    page.get_by_label("What will you do differently in your practice?").fill(
        "Wait for the baby's cue before I talk."
    )
    page.get_by_label("I completed this training myself.").check()
    screenshot(page, "learning", "evaluation")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_text("Your training record has been issued.")).to_be_visible()
    certificate = page.get_by_role("link", name="download the certificate (PDF)")
    expect(certificate).to_be_visible()
    pdf = page.request.get(certificate.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    screenshot(page, "learning", "completed")

    page.get_by_role("link", name="view your training record").click()
    expect(page.get_by_role("heading", name="Serve and return in ten seconds")).to_be_visible()
    page.goto("/learning/")
    expect(page.locator("section", has_text="Completed").get_by_role("link").first).to_have_text(
        "Serve and return in ten seconds"
    )
    record = TrainingRecord.objects.get(learner=learner)
    assert record.duration_hours == webinar.contact_hours
    assert Enrollment.objects.get(learner=learner).record_id == record.pk

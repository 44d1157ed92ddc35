"""Journey 1, the association: from an empty catalog to a webinar learners can watch.

An editor creates a webinar in Wagtail's admin, uploads a generated recording (the upload and
processing progress bars show) and adds captions, allocates the contact hours to competency
areas, adds a facilitator and a post-test, and submits the webinar for review; a reviewer of
the association approves and publishes it; it appears in the association's catalog and a
learner plays it with captions at 1.5×. A real Celery worker processes the recording."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import WebinarPage
from lms.organizations.models import Role
from media_pipeline.models import Recording, RecordingStatus
from tests.conftest import screenshot, sign_in
from tests.courses.factories import approved_facilitator, association, member, site_path
from tests.courses.learning import quiz
from tests.e2e.conftest import choose, open_action_menu_item, signed_in_page
from tests.factories import UserFactory
from tests.media_pipeline.media import make_clip

pytestmark = [pytest.mark.e2e, pytest.mark.worker]
JOURNEY = "association"
CAPTIONS = b"1\n00:00:00,000 --> 00:00:06,000\nNotice, respond, name it, take turns.\n"


def upload_recording(page, clip, title):
    """Upload ``clip`` under Recordings and wait until the worker has made it playable."""
    page.goto("/admin/recordings/add/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Recording file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_label("Upload progress")).to_be_visible()
    page.wait_for_url("**/admin/recordings/inspect/*/")
    expect(page.get_by_label("Processing progress")).to_be_visible()
    screenshot(page, JOURNEY, "1-recording-processing")
    expect(page.locator("[data-status-label]")).to_have_text("Ready", timeout=180_000)
    page.get_by_label("Label").fill("English")
    page.get_by_label("Caption file").set_input_files(
        {"name": "cues.srt", "mimeType": "application/x-subrip", "buffer": CAPTIONS}
    )
    page.get_by_role("button", name="Add captions").click()
    expect(page.get_by_text("Added English captions (1 cues)")).to_be_visible()
    screenshot(page, JOURNEY, "2-recording-ready-with-captions")


def test_editor_builds_a_webinar_a_reviewer_publishes_it_and_learners_find_it(
    browser_page, chromium, live_server, celery_worker, tmp_path
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    editor = member(great_lakes, Role.EDITOR)
    reviewer = member(great_lakes, Role.REVIEWER)
    facilitator = approved_facilitator(great_lakes, name="Dana Whitfield")
    quiz(great_lakes, "reading-cues-post-test")
    clip = make_clip(tmp_path / "reading-cues.mp4", seconds=6, size="320x180", rate=24)
    site = f"http://great-lakes.localhost:{port}"

    page = browser_page
    sign_in(page, editor.email)
    upload_recording(page, clip, "Reading a baby's cues")
    assert Recording.objects.get().status == RecordingStatus.READY

    # The editor creates the webinar in the association's catalog...
    page.goto(f"/admin/pages/add/courses/webinarpage/{great_lakes.catalog.pk}/")
    page.get_by_role("textbox", name="Title*").fill("Reading a baby's cues")
    page.get_by_role("textbox", name="Summary*").fill("What babies tell us before they can talk.")
    page.get_by_role("spinbutton", name="Contact hours*").fill("1.5")
    # The provider starts as the association itself.
    expect(page.get_by_role("region", name="Provider*")).to_contain_text("Great Lakes Association")
    recording = page.get_by_role("region", name="Recording", exact=True)
    recording.get_by_role("button", name="Insert a block").click()
    choose(page, recording, "Choose recording", "Reading a baby's cues")
    # ...adds a post-test from the association's quiz bank and a facilitator...
    post_test = page.get_by_role("region", name="Post test", exact=True)
    post_test.get_by_role("button", name="Insert a block").click()
    choose(page, post_test, "Choose post-test", "Cues post-test")
    post_test.get_by_role("textbox", name="Label*").fill("Post-test")
    people = page.get_by_role("region", name="Facilitators", exact=True)
    people.get_by_role("button", name="Add Facilitator").click()
    choose(page, people, "Choose facilitator", "Dana Whitfield")
    screenshot(page, JOURNEY, "3-webinar-content")

    # ...allocates its contact hours to competency areas...
    page.get_by_role("tab", name="Competencies").click()
    allocation = page.get_by_role("region", name="Hours per competency area")
    for number, (area, hours) in enumerate(
        (("Direct Service Skills", "1"), ("Reflection", "0.5")), 1
    ):
        allocation.get_by_role("button", name="Add Area").click()
        row = allocation.get_by_role("region", name=f"Area {number}")
        choose(page, row, "Choose competency area", re.compile(area))
        row.get_by_role("spinbutton", name="Hours*").fill(hours)
        if number == 1:  # the running total follows the typing
            expect(page.get_by_role("status").filter(has_text="Areas add up")).to_have_text(
                "Areas add up to 1 h of 1.5 contact hours: 0.5 h left."
            )
    expect(page.get_by_role("status").filter(has_text="Areas add up")).to_have_text(
        "Areas add up to 1.5 h of 1.5 contact hours: all allocated."
    )
    screenshot(page, JOURNEY, "4-competency-hours")

    # ...and submits it for review. Until a reviewer approves, the catalog does not show it.
    open_action_menu_item(page, "Submit to Association review")
    expect(page.get_by_text(re.compile("submitted for moderation"))).to_be_visible()
    webinar = WebinarPage.objects.get(alias_of__isnull=True)  # not its Spanish alias
    assert not webinar.live
    page.goto(f"{site}/catalog/")
    expect(page.get_by_role("link", name="Reading a baby's cues")).to_have_count(0)

    # A reviewer of the association approves and publishes it.
    review_page = signed_in_page(chromium, live_server.url, reviewer.email)
    review_page.goto(f"/admin/pages/{webinar.pk}/edit/")
    screenshot(review_page, JOURNEY, "5-reviewer-opens-webinar")
    open_action_menu_item(review_page, "Approve and publish")
    expect(
        review_page.get_by_text(re.compile("has been (approved|published|updated)"))
    ).to_be_visible()
    review_page.context.close()
    webinar.refresh_from_db()
    assert webinar.live
    hours = {row.area.code: str(row.hours) for row in webinar.area_hours.select_related("area")}
    assert hours == {"DSS": "1.00", "REF": "0.50"}
    assert webinar.facilitators() == [facilitator]

    # It is in the catalog; a learner enrolls, plays it, turns captions on and speeds it up.
    watch = signed_in_page(chromium, site, UserFactory().email)
    watch.goto("/catalog/")
    watch.get_by_role("link", name="Reading a baby's cues").click()
    expect(watch.get_by_role("heading", level=1)).to_have_text("Reading a baby's cues")
    expect(watch.get_by_text("Dana Whitfield")).to_be_visible()
    screenshot(watch, JOURNEY, "6-in-the-catalog")
    assert watch.url.endswith(site_path(webinar))
    watch.get_by_role("button", name="Enroll").click()
    player = watch.locator("[data-attune-player]")
    play = player.get_by_role("button", name="Play")
    expect(play).to_be_visible()
    play.focus()
    watch.keyboard.press("Enter")
    watch.wait_for_function(
        "document.querySelector('[data-attune-player] video').currentTime > 1", timeout=30_000
    )
    player.get_by_label("Captions").select_option(label="English")
    watch.wait_for_function(
        """() => {
            const track = document.querySelector('[data-attune-player] video').textTracks[0];
            return track.mode === 'showing' && track.activeCues && track.activeCues.length > 0;
        }""",
        timeout=15_000,
    )
    player.get_by_label("Speed").select_option("1.5")
    rate = watch.evaluate("document.querySelector('[data-attune-player] video').playbackRate")
    assert rate == 1.5
    screenshot(watch, JOURNEY, "7-learner-watching-with-captions")
    watch.context.close()

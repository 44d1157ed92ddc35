"""From upload to a learner watching with captions, in Chromium with a real worker.

An editor uploads a generated 20-second video in the admin and watches its progress until it
is ready, adds captions, puts it on a draft webinar and submits the webinar for review; a
reviewer approves and publishes it; a learner enrolls, plays it, turns captions on and
changes the speed."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from lms.organizations.models import Role
from media_pipeline.models import Recording, RecordingStatus
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, member, site_path, training
from tests.factories import UserFactory
from tests.media_pipeline.media import make_clip

pytestmark = [pytest.mark.e2e, pytest.mark.worker]

CAPTIONS = b"1\n00:00:00,000 --> 00:00:20,000\nNotice, respond, name it, take turns.\n"


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    yield
    Site.clear_site_root_paths_cache()


def open_action_menu_item(page, name):
    """Wagtail's footer keeps secondary actions in a dropdown."""
    item = page.get_by_role("button", name=name)
    if not item.is_visible():
        page.get_by_role("button", name="More actions").click()
    item.click()


def test_upload_publish_and_watch_with_captions(
    browser_page, chromium, live_server, celery_worker, tmp_path
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    editor = member(great_lakes, Role.EDITOR)
    reviewer = member(great_lakes, Role.REVIEWER)
    learner = UserFactory()
    webinar = training(great_lakes, "Reading a baby's cues", kind="webinar", publish=False)
    clip = make_clip(tmp_path / "reading-cues.mp4", seconds=20, size="320x180", rate=24)

    # The editor uploads the recording and watches it being processed.
    page = browser_page
    sign_in(page, editor.email)
    page.goto("/admin/recordings/add/")
    page.get_by_label("Title").fill("Reading a baby's cues")
    page.get_by_label("Recording file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_label("Upload progress")).to_be_visible()
    page.wait_for_url("**/admin/recordings/inspect/*/")
    expect(page.get_by_label("Processing progress")).to_be_visible()
    screenshot(page, "player", "processing")
    expect(page.locator("[data-status-label]")).to_have_text("Ready", timeout=180_000)
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.READY

    page.get_by_label("Label").fill("English")
    page.get_by_label("Caption file").set_input_files(
        {"name": "cues.srt", "mimeType": "application/x-subrip", "buffer": CAPTIONS}
    )
    page.get_by_role("button", name="Add captions").click()
    expect(page.get_by_text("Added English captions (1 cues)")).to_be_visible()
    screenshot(page, "player", "ready-with-captions")

    # ...places it on the webinar and submits the webinar for review.
    page.goto(f"/admin/pages/{webinar.pk}/edit/")
    field = page.locator("[data-contentpath='recording']")
    field.get_by_role("button", name="Insert a block").first.click()
    field.get_by_role("button", name="Choose recording").click()
    page.locator(".modal").get_by_role("link", name="Reading a baby's cues").click()
    expect(field.get_by_text("Reading a baby's cues")).to_be_visible()
    open_action_menu_item(page, "Submit to Association review")
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()

    # A reviewer of the association approves and publishes it.
    reviewing = chromium.new_context(base_url=live_server.url)
    review_page = reviewing.new_page()
    sign_in(review_page, reviewer.email)
    review_page.goto(f"/admin/pages/{webinar.pk}/edit/")
    open_action_menu_item(review_page, "Approve and publish")
    expect(
        review_page.get_by_text(re.compile("has been (approved|published|updated)"))
    ).to_be_visible()
    reviewing.close()
    webinar.refresh_from_db()
    assert webinar.live

    # A learner enrolls, plays it, turns captions on and speeds it up.
    watching = chromium.new_context(base_url=live_server.url)
    watch = watching.new_page()
    sign_in(watch, learner.email)
    watch.goto(site_path(webinar))
    expect(watch.get_by_text("plays for participants of this training")).to_be_visible()
    watch.get_by_role("button", name="Enroll").click()
    player = watch.locator("[data-attune-player]")
    play = player.get_by_role("button", name="Play")
    expect(play).to_be_visible()
    play.focus()
    watch.keyboard.press("Enter")
    watch.wait_for_function(
        "document.querySelector('[data-attune-player] video').currentTime > 1.5", timeout=30_000
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
    screenshot(watch, "player", "learner-watching-with-captions")
    watching.close()

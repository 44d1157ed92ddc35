"""The player by keyboard alone: visible focus, play/pause, seek, captions; it announces
itself to other scripts and resumes where the viewer left off."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.services.enrollment import enroll
from tests.conftest import sign_in
from tests.courses.factories import association, site_path
from tests.factories import UserFactory
from tests.media_pipeline.media import make_clip
from tests.media_pipeline.published import published_recording, webinar_showing

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-attune-player] video')"


def test_keyboard_only_viewing_and_resume(
    browser_page, live_server, transactional_db, settings, tmp_path
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            "BACKEND": "media_pipeline.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.MEDIA_PIPELINE_WORK_DIR = tmp_path / "work"
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    clip = make_clip(tmp_path / "cues.mp4", seconds=12, size="320x180", rate=24)
    recording = published_recording(great_lakes, clip)
    webinar = webinar_showing(great_lakes, recording)
    learner = UserFactory()
    enroll(learner=learner, training=webinar)

    page = browser_page
    page.add_init_script(
        """document.addEventListener('attune-player:ready', (event) => {
            window.attunePlayerReady = event.detail.recordingId;
        });"""
    )
    sign_in(page, learner.email)
    page.goto(site_path(webinar))
    page.wait_for_function("window.attunePlayerReady !== undefined")
    assert page.evaluate("window.attunePlayerReady") == str(recording.key)

    play = page.get_by_role("button", name="Play")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "play":
            break
    expect(play).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "focus is visible"
    page.keyboard.press("Enter")
    page.wait_for_function(f"{VIDEO}.currentTime > 1")
    page.keyboard.press("k")
    page.wait_for_function(f"{VIDEO}.paused")
    before = page.evaluate(f"{VIDEO}.currentTime")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{VIDEO}.currentTime >= {before} + 4.5")
    page.keyboard.press("c")
    assert page.evaluate(f"{VIDEO}.textTracks[0].mode") == "showing"
    expect(page.get_by_label("Captions")).to_have_value("en")
    page.keyboard.press("c")
    assert page.evaluate(f"{VIDEO}.textTracks[0].mode") == "disabled"

    # Leaving and coming back resumes at the same place.
    position = page.evaluate(f"{VIDEO}.currentTime")
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Resuming at")).to_be_visible()
    resumed = page.evaluate(f"{VIDEO}.currentTime")
    assert abs(resumed - int(position)) < 1.5

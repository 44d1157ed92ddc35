"""The player by keyboard alone: visible focus, play/pause, seek, captions; it announces
itself to other scripts and resumes where the viewer left off."""

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in
from tests.courses.factories import site_path
from tests.media_pipeline.conftest import private_storage  # noqa: F401 - a fixture
from tests.media_pipeline.published import enrolled_viewing

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-attune-player] video')"


@pytest.mark.usefixtures("private_storage")
def test_keyboard_only_viewing_and_resume(browser_page, live_server, transactional_db, tmp_path):
    viewing = enrolled_viewing(live_server, tmp_path, seconds=12)
    recording, webinar, learner = viewing.recording, viewing.webinar, viewing.learner

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

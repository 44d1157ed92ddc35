"""The interactive transcript beside the player: a line plays the video from where it is
said (by mouse and by keyboard alone), search steps through matches, the transcript follows
the captions' language, captions start on for a learner who asked, axe finds nothing
serious, and on a phone nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from lms.accounts.services import update_profile
from media_pipeline.models import CaptionState
from media_pipeline.services.captioning import store_caption
from tests.conftest import sign_in
from tests.courses.factories import site_path
from tests.e2e.axe import serious_violations
from tests.media_pipeline.conftest import private_storage  # noqa: F401 - a fixture
from tests.media_pipeline.published import enrolled_viewing

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-attune-player] video')"
ENGLISH = """WEBVTT

00:00:00.500 --> 00:00:02.500
Serve and return builds the brain.

00:00:03.000 --> 00:00:05.500
A baby babbles and the adult answers.

00:00:06.000 --> 00:00:08.500
Name what the baby sees.

00:00:09.000 --> 00:00:11.500
Take turns and return the serve.
"""
SPANISH = """WEBVTT

00:00:00.500 --> 00:00:02.500
Servir y devolver construye el cerebro.

00:00:03.000 --> 00:00:05.500
El bebé balbucea y el adulto responde.

00:00:06.000 --> 00:00:08.500
Nombre lo que el bebé ve.

00:00:09.000 --> 00:00:11.500
Tomen turnos.
"""
# The player reports every seek (attune-player:seeked); the tests read where it went.
RECORD_SEEKS = """window.attuneSeeks = [];
document.addEventListener('attune-player:ready', () => { window.attunePlayerReady = true; });
document.addEventListener('attune-player:seeked', (e) => window.attuneSeeks.push(e.detail.to));"""


def two_languages(viewing):
    recording = viewing.recording
    store_caption(
        recording=recording,
        language="en",
        label="English",
        webvtt_text=ENGLISH,
        state=CaptionState.UPLOADED,
    )
    store_caption(
        recording=recording,
        language="es",
        label="Español",
        webvtt_text=SPANISH,
        state=CaptionState.AUTOMATIC,
    )


def open_webinar(page, viewing):
    page.add_init_script(RECORD_SEEKS)
    sign_in(page, viewing.learner.email)
    page.goto(site_path(viewing.webinar))
    page.wait_for_function("window.attunePlayerReady === true")


def last_seek(page) -> float:
    page.wait_for_function("window.attuneSeeks.length > 0")
    return page.evaluate("window.attuneSeeks[window.attuneSeeks.length - 1]")


def lines(page):
    return page.locator("[data-transcript-lines] .attune-transcript__line")


@pytest.mark.usefixtures("private_storage")
def test_a_learner_reads_searches_and_plays_from_the_transcript(
    browser_page, live_server, transactional_db, tmp_path
):
    viewing = enrolled_viewing(live_server, tmp_path, seconds=12)
    two_languages(viewing)
    page = browser_page
    open_webinar(page, viewing)

    transcript = page.get_by_role("region", name="Transcript of")
    expect(transcript).to_be_visible()
    expect(page.get_by_role("button", name="Transcript")).to_have_attribute("aria-expanded", "true")
    expect(lines(page)).to_have_count(4)
    expect(lines(page).nth(2)).to_contain_text("Name what the baby sees.")
    expect(transcript.get_by_text("not yet reviewed")).to_be_hidden()
    # Beside the video on a wide screen.
    video_box = page.locator("video").bounding_box()
    transcript_box = transcript.bounding_box()
    assert transcript_box["x"] >= video_box["x"] + video_box["width"] - 1

    # A click on a line plays from where it is said, and the line is lit as it plays.
    lines(page).nth(2).click()
    assert abs(last_seek(page) - 6.0) < 0.5
    page.wait_for_function(f"!{VIDEO}.paused")
    expect(lines(page).nth(2)).to_have_attribute("aria-current", "true")
    page.evaluate(f"{VIDEO}.pause()")

    # Keyboard alone: Tab reaches the transcript's line, arrows move, Enter plays from it.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.attune-transcript__line')"):
            break
    focused = page.locator(".attune-transcript__line:focus")
    expect(focused).to_have_count(1)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "focus is visible"
    page.keyboard.press("ArrowDown")
    expect(lines(page).nth(3)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_function("window.attuneSeeks.length >= 2")
    assert abs(last_seek(page) - 9.0) < 0.5
    page.evaluate(f"{VIDEO}.pause()")

    # Search marks every match; Enter and Shift+Enter step through them.
    search = transcript.get_by_label("Search the transcript")
    search.fill("return")
    count = transcript.locator("[data-transcript-count]")
    expect(count).to_have_text("1 of 2")
    expect(transcript.locator("mark")).to_have_count(2)
    search.press("Enter")
    expect(count).to_have_text("2 of 2")
    expect(transcript.locator("mark.attune-transcript__match--current")).to_have_text("return")
    expect(lines(page).nth(3).locator("mark.attune-transcript__match--current")).to_have_count(1)
    search.press("Shift+Enter")
    expect(count).to_have_text("1 of 2")
    search.fill("zebra")
    expect(count).to_have_text("No matches")
    search.fill("")

    assert serious_violations(page, name="transcript") == []

    # The transcript follows the captions' language, and says when they are automatic.
    page.get_by_label("Captions").select_option("es")
    expect(lines(page).nth(0)).to_contain_text("Servir y devolver")
    expect(transcript.get_by_text("Automatic captions — not yet reviewed")).to_be_visible()
    download = transcript.get_by_role("link", name="Download transcript (.txt)")
    href = download.get_attribute("href")
    assert href.endswith("/transcript/es.txt")
    text = page.request.get(href).text()
    assert "[0:06] Nombre lo que el bebé ve." in text

    # The choice of language and of hiding the transcript stay with the browser.
    page.get_by_role("button", name="Transcript").click()
    expect(transcript).to_be_hidden()
    page.reload()
    page.wait_for_function("window.attunePlayerReady === true")
    expect(page.get_by_label("Captions")).to_have_value("es")
    assert (
        page.evaluate(f"[...{VIDEO}.textTracks].find((t) => t.language === 'es').mode") == "showing"
    )
    expect(page.get_by_role("button", name="Transcript")).to_have_attribute(
        "aria-expanded", "false"
    )
    page.get_by_role("button", name="Transcript").click()
    expect(lines(page).nth(0)).to_contain_text("Servir y devolver")


@pytest.mark.usefixtures("private_storage")
def test_captions_start_on_as_asked_and_the_phone_layout_fits(
    browser_page, live_server, transactional_db, tmp_path
):
    viewing = enrolled_viewing(live_server, tmp_path, seconds=12)
    two_languages(viewing)
    update_profile(user=viewing.learner, captions_on=True, caption_language="es")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_webinar(page, viewing)
    expect(page.get_by_label("Captions")).to_have_value("es")
    modes = page.evaluate(f"[...{VIDEO}.textTracks].map((t) => t.language + ':' + t.mode)")
    assert "es:showing" in modes and "en:showing" not in modes
    expect(lines(page).nth(0)).to_contain_text("Servir y devolver")

    # Below the video on a phone, in a box of its own, and nothing scrolls sideways.
    transcript = page.get_by_role("region", name="Transcript of")
    video_box = page.locator("video").bounding_box()
    assert transcript.bounding_box()["y"] >= video_box["y"] + video_box["height"]
    overflow = page.evaluate(
        "getComputedStyle(document.querySelector('[data-transcript-lines]')).overflowY"
    )
    assert overflow == "auto"
    wide = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0, f"the page scrolls {wide}px sideways"
    assert serious_violations(page, name="transcript-phone") == []

    # A tap on a line plays from it.
    lines(page).nth(1).click()
    assert abs(last_seek(page) - 3.0) < 0.5

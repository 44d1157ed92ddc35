"""The caption editor in a real browser: an editor fixes an automatic track by keyboard
alone (words, split, merge, shift, undo), marks it reviewed and saves; the recordings list
then says "Reviewed"; clicking a cue moves the video there; axe finds nothing serious and
nothing scrolls sideways at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from lms.organizations.models import Role
from media_pipeline.models import CaptionState
from media_pipeline.selectors import editor_track
from media_pipeline.services.captioning import store_caption
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.factories import MembershipFactory, OrganizationFactory
from tests.media_pipeline.conftest import private_storage  # noqa: F401 - a fixture
from tests.media_pipeline.media import make_clip
from tests.media_pipeline.published import published_recording

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-editor-video]')"
AUTOMATIC = (
    "WEBVTT\n\n"
    "00:00:00.500 --> 00:00:02.500\nnotice what the baby\n\n"
    "00:00:02.500 --> 00:00:05.000\nis telling you. Then respond\n\n"
    "00:00:05.000 --> 00:00:07.000\nand wait\n"
)


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def focused_cue(page) -> int:
    return page.evaluate("Number(document.activeElement.closest('[data-cue]').dataset.index) + 1")


@pytest.mark.usefixtures("private_storage")
def test_an_editor_fixes_an_automatic_track_by_keyboard_and_marks_it_reviewed(
    browser_page, live_server, transactional_db, tmp_path
):
    owner = OrganizationFactory(name="Great Lakes Association")
    editor = MembershipFactory(organization=owner, role=Role.EDITOR).user
    clip = make_clip(tmp_path / "serve-and-return.mp4", seconds=8, size="320x180")
    recording = published_recording(owner, clip, captions=False)
    caption = store_caption(
        recording=recording,
        language="en",
        label="English",
        webvtt_text=AUTOMATIC,
        state=CaptionState.AUTOMATIC,
    )

    page = browser_page
    sign_in(page, editor.email)
    page.goto(f"/admin/recordings/inspect/{recording.pk}/")
    expect(page.get_by_text("Automatic (not reviewed)")).to_be_visible()
    page.get_by_role("link", name="Edit the English captions").click()
    page.wait_for_function("window.attuneCaptionEditor && window.attuneCaptionEditor.ready")
    expect(page.get_by_text("Caption editor shortcuts")).to_be_visible()
    assert serious_violations(page, name="caption-editor") == []

    # Keyboard only: Tab to the first cue's words and rewrite them.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "attune-cue-1-text":
            break
    first = page.get_by_label("Words of cue 1")
    expect(first).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "focus is visible"
    page.keyboard.press("Control+A")
    page.keyboard.type("Notice what the baby")

    # Next cue; split it after "is telling you." (15 characters).
    page.keyboard.press("Alt+ArrowDown")
    expect(page.get_by_label("Words of cue 2")).to_be_focused()
    page.keyboard.press("Control+Home")
    for _ in range(15):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Alt+s")
    expect(page.locator("[data-cue]")).to_have_count(4)
    expect(page.get_by_label("Words of cue 2")).to_have_value("is telling you.")
    expect(page.get_by_label("Words of cue 3")).to_have_value("Then respond")
    assert focused_cue(page) == 3

    # Merge "Then respond" with "and wait"; shift it later twice, earlier once, undo once.
    page.keyboard.press("Alt+m")
    expect(page.locator("[data-cue]")).to_have_count(3)
    expect(page.get_by_label("Words of cue 3")).to_have_value("Then respond and wait")
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+ArrowLeft")  # earlier, not the browser's "back"
    page.keyboard.press("Alt+ArrowLeft")
    page.keyboard.press("Alt+z")
    assert "/edit/" in page.url
    start = page.locator("#attune-cue-3 [data-cue-start]")
    split_at = round(2.5 + 2.5 * 15 / 27, 3)
    expect(start).to_have_value(f"{split_at + 0.1:.3f}")

    # Leaving with unsaved changes asks first.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Back to the recording").click()
    page.wait_for_function("true")
    assert asked == ["beforeunload"] and "/edit/" in page.url

    # Tick "reviewed" and save, by keyboard.
    reviewed = page.get_by_label("I have checked these captions against the audio")
    reviewed.focus()
    page.keyboard.press("Space")
    expect(reviewed).to_be_checked()
    page.keyboard.press("Control+s")
    expect(page.get_by_role("alert").filter(has_text="Saved version 2")).to_be_visible()
    screenshot(page, "caption-editor", "saved")

    caption.refresh_from_db()
    assert caption.state == CaptionState.REVIEWED and caption.reviewed_by == editor
    assert editor_track(caption=caption).cues == [
        {"start": 0.5, "end": 2.5, "text": "Notice what the baby"},
        {"start": 2.5, "end": split_at, "text": "is telling you."},
        {"start": round(split_at + 0.1, 3), "end": 7.1, "text": "Then respond and wait"},
    ]

    # Clicking a cue plays the video from it; the cue is highlighted.
    page.locator("#attune-cue-2 [data-cue-play]").click()
    page.wait_for_function(f"{VIDEO}.currentTime >= 2.5 && {VIDEO}.currentTime < 4")
    expect(page.locator("#attune-cue-2")).to_have_class(re.compile(r"\bis-playing\b"))
    page.evaluate(f"{VIDEO}.pause()")

    # A phone's width: video and cues stacked, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="caption-editor-390") == []
    screenshot(page, "caption-editor", "phone")

    page.goto("/admin/recordings/")
    expect(page.get_by_text("English — Reviewed")).to_be_visible()

"""The publish gate in the Wagtail editor, in Chromium: publishing a webinar is refused while
its recording has only unreviewed automatic captions (the message names the recording and
links to what to do), allowed once the track is marked reviewed, and, for another webinar,
allowed once a reviewer records an exception with a reason, by keyboard alone on a screen
with no serious or critical axe violation and no sideways scroll at 390 px."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import CaptionException, WebinarPage
from lms.organizations.models import Role
from tests.conftest import sign_in
from tests.courses.captioned import spoken_recording, track
from tests.courses.factories import association, member, training
from tests.e2e.conftest import open_action_menu_item
from tests.e2e.test_every_page import check

pytestmark = pytest.mark.e2e

REASON = "Captions being corrected by our vendor; live CART provided."
REFUSED = "“Attachment in the first year” has only automatic captions"


def webinar(org, rec, title):
    return training(org, title, kind="webinar", recording=[("recording", rec)], publish=False)


def publish(page):
    open_action_menu_item(page, "Publish")


def publish_and_see_it_published(page):
    """Publish; Wagtail may first ask whether to overwrite the draft its autosave kept of
    the refused attempt: yes."""
    publish(page)
    published = page.get_by_text(re.compile("has been published"))
    overwrite = page.get_by_role("dialog").get_by_role("button", name="Publish")
    expect(published.or_(overwrite)).to_be_visible()
    if overwrite.is_visible():
        overwrite.click()
    expect(published).to_be_visible()


def test_publishing_waits_for_reviewed_captions_or_an_exception(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    reviewer = member(great_lakes, Role.ADMIN)
    rec = spoken_recording(great_lakes, "Attachment in the first year", captions="automatic")
    first = webinar(great_lakes, rec, "Attachment, part one")
    other_rec = spoken_recording(great_lakes, "Serve and return", captions="automatic")
    second = webinar(great_lakes, other_rec, "Serve and return, live captioned")

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, reviewer.email)

    # Refused while the only track is automatic: the message names the recording.
    page.goto(f"/admin/pages/{first.pk}/edit/")
    publish(page)
    refusal = page.locator(".messages").get_by_text(re.compile(REFUSED)).first
    expect(refusal).to_be_visible()
    messages = page.locator(".messages")
    expect(messages.get_by_role("link", name=re.compile("Captions of “Attachment"))).to_be_visible()
    expect(messages.get_by_role("link", name="Record an exception")).to_be_visible()
    first.refresh_from_db()
    assert not first.live

    # A person reviews the track (the caption editor's own save): publishing then goes on.
    track(rec, "reviewed", by=reviewer)
    page.goto(f"/admin/pages/{first.pk}/edit/")
    publish_and_see_it_published(page)
    first.refresh_from_db()
    assert first.live

    # The other webinar: the editor warns, and its link opens the exception screen.
    page.goto(f"/admin/pages/{second.pk}/edit/")
    link = page.locator(".messages").get_by_role("link", name="record an exception").first
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/caption-exceptions/{second.pk}/")
    expect(page.get_by_role("heading", name="Record an exception")).to_be_visible()
    failures = check(page, label="caption exceptions", errors=errors, screenshot_name="captions")
    assert not failures, "\n".join(failures)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Keyboard only: tick the recording, give the reason, submit.
    box = page.get_by_role("checkbox", name=re.compile("Serve and return"))
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.keyboard.press("Tab")
    reason = page.get_by_role("textbox", name=re.compile("Reason"))
    expect(reason).to_be_focused()
    page.keyboard.type(REASON)
    page.get_by_role("button", name="Record the exception").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Exception recorded"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Revoke"))).to_be_visible()
    assert CaptionException.objects.get().reason == REASON
    failures = check(page, label="caption exceptions recorded", errors=errors,
                     screenshot_name="captions-recorded")  # fmt: skip
    assert not failures, "\n".join(failures)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Back to the training").first.click()
    publish_and_see_it_published(page)
    assert WebinarPage.objects.get(pk=second.pk).live

"""A learner downloads their data and asks to be erased from their account, on a 390 px
phone, by keyboard where it counts: no sideways scroll, no serious or critical axe finding."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from lms.accounts.models import ErasureRequest, ErasureStatus
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px ({width} px wide)"


def test_a_learner_downloads_their_data_and_asks_to_be_erased_on_a_phone(browser_page, db):
    learner = UserFactory(email="kim@example.org", first_name="Kim", last_name="Lee")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "kim@example.org")
    page.goto("/account/profile/")
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    _fits(page)
    assert serious_violations(page, name="your-data") == []
    screenshot(page, "your-data", "phone")

    download_button = page.get_by_role("button", name="Download my data (ZIP)")
    download_button.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    archive = zipfile.ZipFile(info.value.path())
    assert "README.txt" in archive.namelist()
    assert json.loads(archive.read("profile.json"))["email"] == "kim@example.org"

    # A wrong password: a clear error, nothing asked.
    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Ask to erase my data").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert not ErasureRequest.objects.exists()
    _fits(page)
    assert serious_violations(page, name="your-data-error") == []

    page.get_by_label("Your password").fill("correct-horse-battery")
    page.get_by_label("Anything we should know (optional)").fill("Leaving the field.")
    page.get_by_label("Anything we should know (optional)").press("Tab")
    page.keyboard.press("Enter")  # the focused button
    expect(page.get_by_text("Your request to be erased was received.")).to_be_visible()
    expect(page.get_by_role("cell", name="Requested")).to_be_visible()
    assert ErasureRequest.objects.get(user=learner).status == ErasureStatus.REQUESTED
    _fits(page)
    assert serious_violations(page, name="your-data-requested") == []
    screenshot(page, "your-data", "phone-requested")

"""The CLR download in Chromium on a 390 px phone: from "My records" the learner chooses
records by keyboard, downloads one signed ClrCredential with just those, and the independent
verifier accepts it and each credential inside; no sideways scroll, no serious or critical
axe finding."""

import datetime
import json

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot, sign_in
from tests.credentials_verifier import live_fetch, verify
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e
LONG = "Attachment and regulation in the first year: a long title that must wrap on a phone"


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px ({width} px wide)"


def test_a_learner_downloads_a_chosen_clr_by_keyboard_on_a_phone(
    browser_page, live_server, transactional_db, great_lakes
):
    learner = UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Delgado")
    issue(learner, title=LONG, provider_organization=great_lakes)
    issue(
        learner,
        title="Reflective supervision basics",
        provider_organization=great_lakes,
        completed_on=datetime.date(2024, 6, 1),
    )
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email)
    page.goto("/records/")
    expect(page.get_by_role("heading", name="Download as a CLR")).to_be_visible()
    _fits(page)
    page.get_by_role("link", name="Choose records…").click()
    expect(page.get_by_role("heading", level=1, name="Download as a CLR")).to_be_visible()
    _fits(page)
    assert serious_violations(page, name="clr-choice-390") == []
    screenshot(page, "clr", "choice-390")

    second = page.get_by_role("checkbox", name="Reflective supervision basics")
    expect(second).to_be_checked()
    second.focus()
    page.keyboard.press("Space")
    expect(second).not_to_be_checked()
    page.get_by_label("Signed by").select_option(label=great_lakes.name)
    button = page.get_by_role("button", name="Download the chosen records as a CLR")
    button.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), encoding="utf-8") as file:
        document = json.load(file)
    assert document["partial"] is True
    assert document["issuer"]["name"] == great_lakes.name
    inside = document["credentialSubject"]["verifiableCredential"]
    assert [c["name"] for c in inside] == [LONG]
    fetch = live_fetch(live_server.url)
    assert verify(document, fetch=fetch).status == "valid"
    assert verify(inside[0], fetch=fetch).status == "valid"

    # Nothing chosen: the page says so, next to the choice, and nothing downloads.
    page.get_by_role("checkbox", name=LONG).uncheck()
    page.get_by_role("button", name="Download the chosen records as a CLR").click()
    expect(page.get_by_text("Choose at least one record for the CLR.")).to_be_visible()
    _fits(page)
    assert serious_violations(page, name="clr-choice-error-390") == []

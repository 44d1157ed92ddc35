"""A superseded credential on the public verify page, in Chromium on a 390 px phone: a
verifier pastes the copy the learner downloaded before the record was amended; the page says
it is superseded, by which credential, and links the record as it stands; the independent
verifier reads the same from Attune's status list over HTTP. No sideways scroll, no serious
or critical axe finding."""

import json

import pytest
from playwright.sync_api import expect

from lms.records.credentials import credential_for
from lms.records.models import TrainingRecord
from lms.records.services.amendments import amend_record
from tests.conftest import screenshot
from tests.credentials_verifier import live_fetch, verify
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px ({width} px wide)"


def test_a_superseded_credential_says_so_on_a_phone(
    browser_page, live_server, transactional_db, great_lakes
):
    record = issue(provider_organization=great_lakes, title="Attachment in the first year")
    old = credential_for(TrainingRecord.objects.get(pk=record.pk))
    amend_record(record=record, by=UserFactory(), reason="Title typo", title="Attachment, revised")
    new = credential_for(TrainingRecord.objects.get(pk=record.pk))
    fetch = live_fetch(live_server.url)
    assert verify(old, fetch=fetch).status == "superseded"
    assert verify(new, fetch=fetch).status == "valid"

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/records/credentials/verify/")
    field = page.get_by_label("Credential JSON")
    field.fill(json.dumps(old))
    page.get_by_role("button", name="Verify").focus()
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Signature verified.")
    expect(status).to_contain_text(f"superseded by {new['id']}")
    link = page.get_by_role("link", name="See the record as it stands now")
    expect(link).to_have_attribute("href", old["evidence"][0]["id"])
    _fits(page)
    assert serious_violations(page, name="verify-superseded-390") == []
    screenshot(page, "credentials", "verify-superseded-390")

"""Credit documents in Chromium on a 390 px phone: an auditor opens a credit's public
verification page, and a learner asks for their credit transcript of one kind and a period,
by keyboard, and downloads it; no sideways scroll, no serious or critical axe finding."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lms.records.models_credits import CreditCategory
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory
from tests.lms.records.credit_builders import earn, registry, social_work
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e
TITLE = "Ethics in home visiting: a long title that must wrap on a phone screen"


def _fits(page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways at {inner} px ({width} px wide)"


@pytest.fixture
def claimed(transactional_db, great_lakes):
    learner = UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Delgado")
    record = issue(
        learner,
        provider_organization=great_lakes,
        provider_name=great_lakes.name,
        title=TITLE,
        completed_on=datetime.date(2025, 4, 10),
        duration_hours=Decimal("3.00"),
        area_hours={"TF": Decimal("3.00")},
    )
    sw = earn(
        record,
        social_work(great_lakes),
        category=CreditCategory.ETHICS,
        license_number="6801-094417",
        license_jurisdiction="Michigan",
    )
    earn(record, registry(great_lakes))
    return learner, sw


def test_an_auditor_verifies_a_credit_on_a_phone(browser_page, claimed):
    _learner, sw = claimed
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/verify/credits/{sw.verification_id}/")
    expect(
        page.get_by_role("heading", level=1, name="Continuing-education credit verification")
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Valid")
    expect(page.locator("main")).to_contain_text("Rosa Delgado")
    expect(page.locator("main")).to_contain_text("MICEC-1187")
    expect(page.locator("main")).not_to_contain_text("6801-094417")
    _fits(page)
    assert serious_violations(page, name="credit-verification-390") == []
    screenshot(page, "credit-documents", "verification-390")


def test_a_learner_gets_a_credit_transcript_by_keyboard_on_a_phone(browser_page, claimed):
    learner, _sw = claimed
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email)
    page.goto("/records/")
    page.get_by_role("link", name="Credit transcript").click()
    expect(page.get_by_role("heading", level=1, name="Credit transcript")).to_be_visible()
    _fits(page)
    assert serious_violations(page, name="credit-transcript-form-390") == []

    page.get_by_role("combobox", name="Credit", exact=True).select_option(
        label=("Social work CE (Michigan Social Work Continuing Education Collaborative)")
    )
    page.get_by_role("textbox", name="From", exact=True).fill("2025-01-01")
    page.get_by_role("textbox", name="To", exact=True).fill("2025-12-31")
    page.get_by_role("textbox", name="To", exact=True).press(
        "Enter"
    )  # the form submits from the keyboard
    section = page.get_by_role("region", name="Social work CE, 2025-01-01 to 2025-12-31")
    expect(section).to_contain_text("6801-094417 (Michigan)")
    expect(section.get_by_role("table").last).to_contain_text("Ethics in home visiting")
    _fits(page)
    assert serious_violations(page, name="credit-transcript-390") == []
    screenshot(page, "credit-documents", "transcript-390")

    # An end before the start: a form error, said next to the field.
    page.get_by_role("textbox", name="From", exact=True).fill("2025-12-31")
    page.get_by_role("textbox", name="To", exact=True).fill("2025-01-01")
    page.get_by_role("textbox", name="To", exact=True).press("Enter")
    expect(page.get_by_text("The end of the period must not be before its start.")).to_be_visible()
    _fits(page)
    assert serious_violations(page, name="credit-transcript-error-390") == []

    page.get_by_role("textbox", name="From", exact=True).fill("2025-01-01")
    page.get_by_role("textbox", name="To", exact=True).fill("2025-12-31")
    download_button = page.get_by_role("button", name="Download CSV")
    download_button.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), encoding="utf-8") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert ["Learner", "Rosa Delgado"] in rows
    assert any(row[:2] == ["2025-04-10", TITLE] for row in rows)

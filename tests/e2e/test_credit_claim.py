"""A learner claims continuing-education credit on their record page on a phone: the
license number the board needs is typed once (by keyboard alone), the claim shows, and it can
be withdrawn; the credit not earned says why. Nothing scrolls sideways at 390 px and axe finds
nothing serious."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.services.enrollment import enroll
from lms.accounts.models import ProfessionalLicense
from lms.records.credit_facts import CreditOutcome
from lms.records.models import CreditClaim
from tests.conftest import screenshot, sign_in
from tests.courses.credit_helpers import offer, registry_hours, social_work_ce
from tests.courses.factories import association
from tests.courses.learning import recording, webinar
from tests.e2e.axe import serious_violations
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e

REASON = "Your best post-test score was 75%; Registry hours needs 80%."


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_claim_and_withdraw_credit_on_a_phone(browser_page, live_server):
    call_command("load_framework", verbosity=0)
    org = OrganizationFactory()
    sw = social_work_ce(org, minimum_score_percent=70)
    registry = registry_hours(org, minimum_score_percent=80)
    learner = UserFactory(email="lee@example.org", first_name="Lee", last_name="Parker")
    record = issue(
        learner,
        provider_organization=org,
        credits=[
            CreditOutcome(kind_id=sw.pk, amount=Decimal("3"), category="ethics", earned=True),
            CreditOutcome(
                kind_id=registry.pk,
                amount=Decimal("3"),
                category="general",
                earned=False,
                not_earned_reason=REASON,
            ),
        ],
    )
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "lee@example.org")
    page.goto(f"/records/{record.verification_id}/")
    credits = page.locator("#credits")
    expect(credits.get_by_role("heading", name="Continuing-education credit")).to_be_visible()
    expect(credits.get_by_text(REASON)).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="credit-claims-390") == []
    screenshot(page, "credits", "record-credits-390")

    # By keyboard: the license number, then the Claim button.
    number = credits.get_by_label("Social work license number")
    number.focus()
    page.keyboard.type("LMSW-6801")
    page.keyboard.press("Tab")
    page.keyboard.type("Michigan")
    page.keyboard.press("Tab")
    expect(credits.get_by_role("button", name="Claim Social work CE")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You claimed Social work CE.")).to_be_visible()
    expect(credits.get_by_text("license LMSW-6801")).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="credit-claimed-390") == []
    claim = CreditClaim.objects.get()
    assert (claim.license_number, claim.license_jurisdiction) == ("LMSW-6801", "Michigan")
    assert ProfessionalLicense.objects.get(user=learner).number == "LMSW-6801"
    screenshot(page, "credits", "record-credit-claimed-390")

    credits.get_by_role("button", name="Withdraw my claim of Social work CE").click()
    expect(page.get_by_text("You withdrew your claim of Social work CE.")).to_be_visible()
    # Claiming again offers the number kept in the profile.
    expect(credits.get_by_label("Social work license number")).to_have_value("LMSW-6801")
    claim.refresh_from_db()
    assert claim.withdrawn_at is not None


def test_the_evaluation_offers_the_credit_with_the_license_from_the_profile(
    browser_page, live_server
):
    call_command("load_framework", verbosity=0)
    lakes = association("great-lakes", name="Great Lakes Association")
    training_page = webinar(lakes, recording(lakes), require_watch=False, require_evaluation=False)
    sw, registry = social_work_ce(lakes), registry_hours(lakes)
    offer(training_page, sw, "3.0", category="ethics")
    offer(training_page, registry, "3.0")
    learner = UserFactory(email="lee@example.org")
    ProfessionalLicense.objects.create(user=learner, profession="social_work", number="LMSW-1")
    enroll(learner=learner, training=training_page)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "lee@example.org")
    page.goto(f"/learning/trainings/{training_page.pk}/evaluation/")
    credits = page.get_by_role("group", name="Continuing-education credit")
    # Both pre-checked: one needs no license, the other's license is in the profile.
    expect(credits.get_by_role("checkbox", name="Social work CE", exact=False)).to_be_checked()
    expect(credits.get_by_role("checkbox", name="Registry hours", exact=False)).to_be_checked()
    expect(credits.get_by_label("Social work license number")).to_have_value("LMSW-1")
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="evaluation-credits-390") == []

    # Clearing the number while claiming is refused with the reason, and nothing is kept.
    credits.get_by_label("Social work license number").fill("")
    page.get_by_label("I completed this training myself.").check()
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_text(
            "Enter your license number to claim Social work CE, or leave it unchecked."
        )
    ).to_be_visible()
    expect(credits.get_by_label("Social work license number")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="evaluation-credits-error-390") == []
    screenshot(page, "credits", "evaluation-credits-error-390")
    assert ProfessionalLicense.objects.get(user=learner).number == "LMSW-1"

"""A professional reads, on a 390 px phone, the continuing-education credit a training offers
(kind, amount, category, awarding body, approval number, the approval statement's opening):
no sideways scroll and no serious or critical axe violation."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import TrainingCreditOffer
from lms.records.models import CreditKind
from tests.courses.factories import association, site_path, training
from tests.e2e.test_every_page import check

pytestmark = pytest.mark.e2e


def test_the_credit_offered_reads_on_a_phone(browser_page, live_server, transactional_db):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    webinar = training(great_lakes, "Ethics in home visiting", kind="webinar", hours={"LRP": "3"})
    social_work = CreditKind.objects.create(
        organization=great_lakes,
        name="Social work CE",
        code="sw-ce",
        awarding_body="Example State Board of Social Work (demo)",
        certificate_statement=(
            "DEMO VALUE. Great Lakes Association is approved as a provider of continuing "
            "education by the Example State Board of Social Work, provider number "
            "DEMO-SW-1187, for the contact hours and category shown on each certificate."
        ),
        approval_number="DEMO-SW-1187",
    )
    registry = CreditKind.objects.create(
        organization=great_lakes,
        name="Registry hours",
        code="registry",
        awarding_body="Example Early Childhood Registry (demo)",
        certificate_statement="DEMO VALUE. Approved for registry training hours.",
    )
    TrainingCreditOffer.objects.create(page=webinar, kind=social_work, amount=3, category="ethics")
    TrainingCreditOffer.objects.create(page=webinar, kind=registry, amount=3, sort_order=1)

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"http://great-lakes.localhost:{port}{site_path(webinar)}")

    credit = page.get_by_role("region", name="Continuing-education credit")
    expect(credit.locator("li")).to_have_count(2)
    expect(credit).to_contain_text("Social work CE: 3 contact hours")
    expect(credit).to_contain_text("Ethics")
    expect(credit).to_contain_text("Example State Board of Social Work (demo)")
    expect(credit).to_contain_text("DEMO-SW-1187")
    expect(credit).to_contain_text("Registry hours: 3 contact hours")

    failures = check(page, label="training-credit-offered", errors=errors, screenshot_name="credit")
    assert not failures, "\n".join(failures)

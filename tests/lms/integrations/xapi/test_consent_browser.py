"""The learner's sharing page in Chromium at a phone's width: sharing learning activity is
one keyboard press, with no serious or critical axe violation and no sideways scroll."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lms.accounts.models import ConsentScope
from lms.accounts.selectors import has_consent
from tests.conftest import sign_in
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sharing_learning_activity_by_keyboard_at_390_px(browser_page, great_lakes):
    learner = UserFactory()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email)
    page.goto(reverse("accounts:sharing"))
    expect(page.get_by_role("heading", name="Your learning activity")).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert serious_violations(page, name="xapi-sharing-390") == []

    button = page.get_by_role("button", name=f"Share activity with {great_lakes.name}")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You now share your learning activity")).to_be_visible()
    assert has_consent(user=learner, organization=great_lakes, scope=ConsentScope.LEARNING_ACTIVITY)
    expect(
        page.get_by_role("button", name=f"Stop sharing activity with {great_lakes.name}")
    ).to_be_visible()
    assert serious_violations(page, name="xapi-sharing-390-shared") == []

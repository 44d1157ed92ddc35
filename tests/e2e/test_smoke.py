import pytest

from tests.conftest import screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_home_page_and_sign_in_by_keyboard(browser_page, live_server):
    UserFactory(email="kim@example.org", first_name="Kim", last_name="Lee")
    page = browser_page
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    sign_in(page, "kim@example.org")
    assert page.get_by_role("button", name="Sign out").is_visible()
    screenshot(page, "smoke", "signed-in-home")

"""The language switcher in Chromium: a learner on a phone reaches it with the keyboard,
chooses Español and gets the page's Spanish version; the browser and the profile remember
the choice; axe finds nothing serious and nothing scrolls sideways at 390 px."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Locale

from lms.accounts.models import LearnerProfile
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, site_path, training
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

JOURNEY = "language-switcher"


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def tab_to(page, name: str, *, presses: int = 12) -> None:
    """Press Tab until the focused element is named ``name``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_learner_switches_to_spanish_with_the_keyboard_on_a_phone(
    browser_page, live_server, transactional_db, settings
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    course = training(great_lakes, "Serve and return")
    spanish = course.copy_for_translation(
        Locale.objects.get_or_create(language_code="es")[0], copy_parents=True
    )
    spanish.title = "Servir y devolver"
    spanish.save_revision().publish()
    learner = UserFactory()
    site = f"http://great-lakes.localhost:{port}"

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, learner.email, site=site)
    page.goto(f"{site}{site_path(course)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Serve and return")
    switcher = page.get_by_role("group", name="Language")
    espanol = switcher.get_by_role("button", name="Español")
    expect(espanol).to_have_attribute("lang", "es")
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="language-switcher-390-en") == []
    screenshot(page, JOURNEY, "english-390")

    page.locator("body").focus()
    tab_to(page, "Español")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/es{site_path(course)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Servir y devolver")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    english = page.get_by_role("button", name="English")
    expect(english).to_have_attribute("lang", "en")
    assert no_sideways_scroll(page)
    assert serious_violations(page, name="language-switcher-390-es") == []
    screenshot(page, JOURNEY, "spanish-390")

    cookies = {c["name"]: c["value"] for c in page.context.cookies(site)}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "es"
    assert LearnerProfile.objects.get(user=learner).language == "es"

    # Pages without a language in their URL follow the choice: My learning in Spanish.
    page.goto(f"{site}/learning/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The English page's URL, opened again, leads to the Spanish version.
    page.goto(f"{site}{site_path(course)}")
    expect(page).to_have_url(f"{site}/es{site_path(course)}")

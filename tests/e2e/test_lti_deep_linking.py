"""Deep Linking in Chromium at 390 px, under the production content security policy: an
instructor opens Attune from the test platform's content picker, searches, picks a training
by keyboard and goes back to the platform, which accepts the signed answer. The picker and
the roster page carry the association's brand, fit the phone and pass axe."""

from io import StringIO
from urllib.parse import urlparse

import pytest
import requests
from django.core.management import call_command
from playwright.sync_api import expect

from interop.lti.services.connections import connect_platform
from tests.conftest import screenshot
from tests.courses.factories import association, training
from tests.e2e.axe import serious_violations
from tests.interop.lti.platform import INSTRUCTOR, TestPlatform

pytestmark = pytest.mark.e2e
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def picker_launch(browser_page, live_server, transactional_db, settings):
    settings.ATTUNE_CSP = True
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    course = training(great_lakes, "Attachment across the first year")
    training(great_lakes, "Co-regulation in the toddler room")
    platform = TestPlatform(tool_url=f"http://great-lakes.localhost:{port}").start()
    connect_platform(
        organization=great_lakes,
        name="Great Lakes Canvas",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_url=platform.auth_url,
        token_url=platform.token_url,
        keyset_url=platform.keyset_url,
        deployment_ids=[platform.deployment_id],
    )
    # The platform reads Attune's keys itself (Python does not resolve *.localhost names).
    platform.tool_jwks = requests.get(f"{live_server.url}/lti/jwks.json", timeout=10).json()
    browser_page.set_viewport_size({"width": 390, "height": 844})
    yield browser_page, platform, course
    platform.stop()


def _axe(page, settings, path: str, name: str) -> list:
    """axe is injected as an inline script, which the policy refuses: the page (``path`` of
    the site, for the picker is first the launch's answer) is read again without the policy."""
    origin = "{0.scheme}://{0.netloc}".format(urlparse(page.url))
    settings.ATTUNE_CSP = False
    try:
        page.goto(origin + path)
        return serious_violations(page, name=name)
    finally:
        settings.ATTUNE_CSP = True


def _open(page, platform, hint):
    """From the platform's content picker to Attune's. The login page's cookie check (a
    static script the policy allows) goes on by itself: nobody clicks "Continue here"."""
    page.goto(platform.start_url(hint))


def _tab_to(page, selector: str, limit: int = 60) -> None:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(f"{selector} is not reachable by keyboard: {seen[:12]}")


def test_an_instructor_picks_a_training_by_keyboard_and_the_platform_accepts_it(
    picker_launch, settings
):
    page, platform, course = picker_launch
    hint = platform.prepare(user_id="teacher-1", roles=[INSTRUCTOR], deep_linking=True)
    _open(page, platform, hint)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add Attune content")
    expect(page.locator("body")).to_contain_text("Great Lakes")
    expect(page.get_by_label("Co-regulation in the toddler room")).to_be_visible()
    assert page.evaluate(FITS)
    assert _axe(page, settings, "/lti/deep-linking/", "lti-deep-linking-picker-390") == []
    screenshot(page, "lti", "deep-linking-picker-390")

    # Search from the keyboard: the other training is no longer offered.
    _tab_to(page, "#id_q")
    page.keyboard.type("Attachment")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Co-regulation in the toddler room")).to_have_count(0)
    checkbox = page.get_by_label(course.title)
    expect(checkbox).to_be_visible()

    _tab_to(page, f"#id_training_{course.pk}")
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    _tab_to(page, "button[type=submit].button:not(.button-secondary)")
    page.keyboard.press("Enter")
    # The signed answer is posted to the platform by the page itself.
    expect(page.locator("body")).to_contain_text("Items added to the course.")
    [items] = platform.deep_linked
    assert [item["title"] for item in items] == [course.title]
    assert items[0]["lineItem"]["scoreMaximum"] == 100


def test_the_roster_page_fits_a_phone_and_passes_axe(picker_launch, settings):
    page, platform, _course = picker_launch
    platform.members = [
        {"user_id": "teacher-1", "name": "Tess Teacher", "roles": [INSTRUCTOR]},
        {
            "user_id": "learner-1",
            "name": "Ana Learner",
            "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        },
    ]
    hint = platform.prepare(user_id="teacher-1", roles=[INSTRUCTOR], deep_linking=True)
    _open(page, platform, hint)
    page.get_by_role("link", name="Course roster").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roster of")
    page.get_by_role("button", name="Pull the roster from the platform").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Roster updated: 2 members, 1 learners.")
    expect(page.get_by_role("table")).to_contain_text("Ana Learner")
    assert page.evaluate(FITS)
    assert _axe(page, settings, "/lti/roster/", "lti-course-roster-390") == []
    screenshot(page, "lti", "course-roster-390")

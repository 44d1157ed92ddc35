"""axe-core on the pages the four journeys pass through: no serious or critical violation.
And the post-test by keyboard alone (the player's keyboard test is test_player_keyboard.py).

The pages are the demo's (`make run`): the Great Lakes catalog, a course, the demo webinar's
player for an enrolled learner, its post-test (start and questions), the learner's portfolio,
and the demo center's dashboard for its manager."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Quiz
from courses.services.enrollment import enroll
from demo.centers import CENTER, MANAGER
from demo.learning import QUIZ_SLUG, load_demo_webinar
from demo.loader import DEMO_PASSWORD, load_demo
from demo.requirements import load_demo_requirements
from lms.accounts.models import User
from lms.organizations.models import Facilitator, Organization
from tests.conftest import screenshot, sign_in
from tests.courses.factories import approved_facilitator, association, site_path
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import signed_in_page
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
JOURNEY = "accessibility"
CORRECT = ("The child's cue", "Name it", "Take turns", "True")
IN_PAGE_ORDER = "element => Array.from(document.querySelectorAll('input')).indexOf(element)"


def demo_site_on(port) -> tuple[Organization, str]:
    """The demo with its Great Lakes site answering on the live server's port."""
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    load_demo_requirements()
    great_lakes = Organization.objects.get(slug="great-lakes")
    great_lakes.site.port = port
    great_lakes.site.save()
    return great_lakes, f"http://great-lakes.localhost:{port}"


def scan(page, name, ready) -> list[str]:
    """Once ``ready`` shows, keep a screenshot and run axe on the page."""
    expect(ready).to_be_visible()
    screenshot(page, JOURNEY, name)
    return serious_violations(page, name=name)


def test_journey_pages_have_no_serious_or_critical_axe_violations(
    browser_page, chromium, live_server, transactional_db
):
    great_lakes, site = demo_site_on(urlparse(live_server.url).port)
    webinar = load_demo_webinar(
        organization=great_lakes, facilitators=[Facilitator.objects.get(name="Dana Whitfield")]
    )
    learner = User.objects.get(email="learner@attune.example")
    enroll(learner=learner, training=webinar)
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)

    page = browser_page
    sign_in(page, learner.email, DEMO_PASSWORD, site=site)
    page.goto(f"{site}/catalog/")
    found = scan(page, "catalog", page.get_by_role("button", name="Show trainings"))
    page.goto(f"{site}/catalog/attachment-first-year/")
    found += scan(page, "course", page.get_by_role("heading", name="Lessons"))
    page.goto(f"{site}{site_path(webinar)}")
    player = page.locator("[data-attune-player]")
    found += scan(page, "player", player.get_by_role("button", name="Play"))
    page.goto(f"{site}/learning/trainings/{webinar.pk}/quiz/{quiz.slug}/")
    start = page.get_by_role("button", name="Start the post-test")
    found += scan(page, "post-test-start", start)
    start.click()
    found += scan(page, "post-test-questions", page.get_by_role("button", name="Submit answers"))
    page.goto(f"{site}/portfolio/")
    found += scan(
        page, "portfolio", page.get_by_role("heading", name="Export for your application")
    )

    page = signed_in_page(chromium, live_server.url, MANAGER, password=DEMO_PASSWORD)
    page.goto(f"/centers/{CENTER}/")
    found += scan(page, "center-dashboard", page.get_by_role("table").first)
    page.context.close()

    assert not found, "Serious or critical axe violations:\n" + "\n".join(found)


def test_post_test_by_keyboard_alone(browser_page, live_server, transactional_db):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", hostname="localhost", port=port)
    webinar = load_demo_webinar(
        organization=great_lakes, facilitators=[approved_facilitator(great_lakes)]
    )
    learner = UserFactory()
    enroll(learner=learner, training=webinar)

    page = browser_page
    sign_in(page, learner.email)
    page.goto(f"/learning/trainings/{webinar.pk}/quiz/{QUIZ_SLUG}/")

    def tab_to(locator, *, focused=None, limit=40):
        """Press Tab until ``locator`` (or any element matching the CSS ``focused``) has
        the focus."""
        check = f"() => document.activeElement.matches({focused!r})" if focused else None
        for _ in range(limit):
            page.keyboard.press("Tab")
            if check and page.evaluate(check):
                return
            if not check and locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    tab_to(page.get_by_role("button", name="Start the post-test"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()

    # The quiz shuffles its choices: answer in the order the page shows them.
    answers = [page.get_by_label(text, exact=True) for text in CORRECT]
    answers.sort(key=lambda answer: answer.evaluate(IN_PAGE_ORDER))
    for answer in answers:
        if answer.get_attribute("type") == "checkbox":
            tab_to(answer)
            page.keyboard.press("Space")
            continue
        # Tab enters a radio group once; the arrow keys move through it and choose.
        name = answer.get_attribute("name")
        tab_to(page.locator(f"input[name='{name}']").first, focused=f"input[name='{name}']")
        for _ in range(5):
            if answer.evaluate("element => element === document.activeElement"):
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), "focus is visible"
    for answer in answers:
        expect(answer).to_be_checked()
    screenshot(page, JOURNEY, "post-test-by-keyboard")
    tab_to(page.get_by_role("button", name="Submit answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Passed: 100%"))).to_be_visible()
    back = page.get_by_role("link", name="Back to the training")
    tab_to(back)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site_path(webinar)}")

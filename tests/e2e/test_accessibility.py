"""axe-core on the pages the four journeys pass through: no serious or critical violation.
And the post-test by keyboard alone (the player's keyboard test is test_player_keyboard.py).

The pages are the demo's (`make run`): the Great Lakes catalog, a course, the demo webinar's
player for an enrolled learner, its post-test (start and questions), the learner's portfolio,
and a center manager's dashboard."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Site

from courses.demo import DEMO_PASSWORD, load_demo
from courses.demo_learning import QUIZ_SLUG, load_demo_webinar
from courses.models import Quiz
from courses.services.enrollment import enroll
from lms.accounts.models import User
from lms.endorsement.demo import load_demo_requirements
from lms.organizations.centers.services import assign_seats
from lms.organizations.models import Facilitator, Organization
from tests.conftest import screenshot, sign_in
from tests.courses.factories import approved_facilitator, association, site_path
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory
from tests.lms.organizations.centers import center_with_manager, contract, line, staff

pytestmark = pytest.mark.e2e
JOURNEY = "accessibility"
CORRECT = ("The child's cue", "Name it", "Take turns", "True")
IN_PAGE_ORDER = "element => Array.from(document.querySelectorAll('input')).indexOf(element)"


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


def demo_site_on(port) -> tuple[Organization, str]:
    """The demo with its Great Lakes site answering on the live server's port."""
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    load_demo_requirements()
    great_lakes = Organization.objects.get(slug="great-lakes")
    great_lakes.site.port = port
    great_lakes.site.save()
    return great_lakes, f"http://great-lakes.localhost:{port}"


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
    center, manager = center_with_manager()
    made = contract(great_lakes, center, [webinar], seats=5)
    sharing = staff(center, "sol@sunrise.test", name="Sol Sharing", share=True)
    assign_seats(contract_training=line(made, webinar), staff=[sharing], by=manager)

    found = []
    page = browser_page
    sign_in(page, learner.email, DEMO_PASSWORD, site=site)

    def check(path, name, ready):
        page.goto(f"{site}{path}")
        expect(ready()).to_be_visible()
        screenshot(page, JOURNEY, name)
        found.extend(serious_violations(page, name=name))

    check("/catalog/", "catalog", lambda: page.get_by_role("button", name="Show trainings"))
    check(
        "/catalog/attachment-first-year/",
        "course",
        lambda: page.get_by_role("heading", name="Lessons"),
    )
    check(
        site_path(webinar),
        "player",
        lambda: page.locator("[data-attune-player]").get_by_role("button", name="Play"),
    )
    check(
        f"/learning/trainings/{webinar.pk}/quiz/{quiz.slug}/",
        "post-test-start",
        lambda: page.get_by_role("button", name="Start the post-test"),
    )
    page.get_by_role("button", name="Start the post-test").click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    screenshot(page, JOURNEY, "post-test-questions")
    found.extend(serious_violations(page, name="post-test-questions"))
    check(
        "/portfolio/",
        "portfolio",
        lambda: page.get_by_role("heading", name="Export for your application"),
    )

    managing = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = managing.new_page()
    sign_in(page, manager.email)
    site = live_server.url
    check(
        f"/centers/{center.slug}/",
        "center-dashboard",
        lambda: page.get_by_text("Sol Sharing").first,
    )
    managing.close()

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

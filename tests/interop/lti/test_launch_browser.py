"""A launch in Chromium, from the test platform's page to Attune's course, at phone width,
under the production content security policy (the login page's cookie check is a static
script: the launch goes on by itself, nobody clicks "Continue here"); the framed launch's
"open in a new window" page and the error page pass axe."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from interop.lti.services.connections import connect_platform
from interop.lti.services.targets import custom_parameters
from tests.conftest import screenshot
from tests.courses.factories import association, training
from tests.e2e.axe import serious_violations

from .platform import TestPlatform

pytestmark = pytest.mark.e2e
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def browser_launch(browser_page, live_server, transactional_db):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    course = training(great_lakes, "Attachment across the first year")
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
    browser_page.set_viewport_size({"width": 390, "height": 844})
    yield browser_page, platform, course
    platform.stop()


def test_a_learner_launches_from_the_platform_into_the_course(browser_launch, settings):
    settings.ATTUNE_CSP = True
    page, platform, course = browser_launch
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    passed_login = []
    page.on(
        "response",
        lambda response: (
            passed_login.append(response)
            if "/lti/login" in response.url and response.headers.get("content-security-policy")
            else None
        ),
    )
    hint = platform.prepare(user_id="canvas-7", custom=custom_parameters(training=course))
    page.goto(platform.start_url(hint))
    # No click: the login page's script takes the learner on to the platform and back.
    expect(page.get_by_role("heading", level=1)).to_have_text("Attachment across the first year")
    assert passed_login, "the login page was not served under the policy"
    assert refused == []
    assert page.evaluate(FITS)
    screenshot(page, "lti", "launched-course-390")


def test_a_framed_launch_offers_a_new_window_and_the_error_page_is_clear(browser_launch):
    page, platform, course = browser_launch
    hint = platform.prepare(
        user_id="canvas-8", custom=custom_parameters(training=course), document_target="iframe"
    )
    page.goto(platform.start_url(hint))
    button = page.get_by_role("link", name="Open in a new window")
    expect(button).to_be_visible()
    assert page.evaluate(FITS)
    assert serious_violations(page, name="lti-launched") == []
    screenshot(page, "lti", "framed-launch-390")
    # Keyboard: the button is reachable and opens the course in a new window.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Open in a new window":
            break
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    window = opened.value
    expect(window.get_by_role("heading", level=1)).to_have_text("Attachment across the first year")

    bad = platform.prepare(
        user_id="canvas-9", custom=custom_parameters(training=course), rogue_signature=True
    )
    page.goto(platform.start_url(bad))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The launch's signature does not match the platform's keys"
    )
    assert page.evaluate(FITS)
    assert serious_violations(page, name="lti-error") == []
    screenshot(page, "lti", "error-bad-signature-390")

"""One account, signed in everywhere: sign in on one association's site, and the other
association's site and the platform open signed in; sign out on one, and all are signed out.
Under the production Content Security Policy (its form-action must let the sign-in's
redirects back to the sites)."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in
from tests.courses.factories import association
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def account_menu(page):
    return page.get_by_role("navigation", name="Main")


def expect_signed_in(page):
    expect(account_menu(page).get_by_role("button", name="Sign out")).to_be_visible()


def expect_signed_out(page):
    expect(account_menu(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(account_menu(page).get_by_role("button", name="Sign out")).to_have_count(0)


def test_sign_in_on_one_site_is_sign_in_on_all_and_sign_out_too(
    browser_page, live_server, transactional_db, framework, settings
):
    settings.ATTUNE_CSP = True
    port = urlparse(live_server.url).port
    association("great-lakes", name="Great Lakes Association", port=port)
    association("prairie", name="Prairie Association", port=port)
    learner = UserFactory(email="lee@example.org")
    great_lakes = f"http://great-lakes.localhost:{port}"
    prairie = f"http://prairie.localhost:{port}"
    platform = live_server.url

    page = browser_page
    page.goto(f"{great_lakes}/")
    expect_signed_out(page)  # the silent check found nobody signed in on the platform
    sign_in(page, learner.email, site=great_lakes)
    assert page.url.startswith(great_lakes)
    expect_signed_in(page)

    # Another association's site: signed in on the first visit, without a click.
    page.goto(f"{prairie}/catalog/")
    assert urlparse(page.url).netloc == f"prairie.localhost:{port}"
    assert urlparse(page.url).path == "/catalog/"
    expect_signed_in(page)
    page.goto(f"{platform}/account/profile/")
    assert urlparse(page.url).path == "/account/profile/"
    expect_signed_in(page)

    # Signing out on one site signs out everywhere.
    page.goto(f"{prairie}/")
    # By keyboard: the header's layout is not what this test is about.
    account_menu(page).get_by_role("button", name="Sign out").press("Enter")
    expect_signed_out(page)
    for host in (great_lakes, platform, prairie):
        page.goto(f"{host}/")
        expect_signed_out(page)
    page.goto(f"{great_lakes}/account/profile/")
    assert "/accounts/login/" in page.url  # on the platform's sign-in form
    assert page.url.startswith(platform)

"""Signing in with the association's membership system, in Chromium: the sign-in page the
association's site opens offers "Sign in with <AMS>" (at a phone's width, nothing sideways,
no serious axe violation, reachable by keyboard), and the button goes through a real SAML
identity provider (pysaml2's, served on loopback) and back to the site, signed in and
holding the membership, under the production Content Security Policy."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from commerce.memberships.models import AssociationMembership, MembershipPlan
from interop.sso import saml
from interop.sso.models import IdentityProvider
from tests.conftest import screenshot
from tests.courses.factories import association
from tests.e2e.axe import serious_violations
from tests.interop.sso.idp import IDP_ENTITY_ID, TestIdP, post_binding_form

pytestmark = pytest.mark.e2e


class IdentityProviderPage(BaseHTTPRequestHandler):
    """The membership system's sign-in: everyone is Lee, an active member; it answers the
    AuthnRequest with the page that posts the signed answer back to Attune."""

    idp: TestIdP
    provider: IdentityProvider

    def do_GET(self):
        request_id, relay_state = self.idp.read_request(self.path)
        answer = self.idp.response(
            in_response_to=request_id,
            destination=saml.acs_url(self.provider),
            audience=saml.entity_id(self.provider),
        )
        body = post_binding_form(answer, relay_state, saml.acs_url(self.provider)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def identity_provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), IdentityProviderPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_member_signs_in_with_the_association_system(
    browser_page, live_server, transactional_db, settings, identity_provider_server
):
    port = urlparse(live_server.url).port
    lakes = association("great-lakes", name="Great Lakes Association", port=port)
    plan = MembershipPlan.objects.create(association=lakes, name="Individual", annual_dues=7000)
    provider = IdentityProvider.objects.create(
        association=lakes,
        name="Lakes AMS",
        enabled=True,
        idp_entity_id=IDP_ENTITY_ID,
        idp_sso_url=f"http://127.0.0.1:{identity_provider_server.server_port}/sso",
        membership_plan=plan,
        expiry_attribute="membership_expires",
    )
    idp = TestIdP(sp_metadata=[saml.sp_metadata(provider)], sso_url=provider.idp_sso_url)
    provider.idp_certificate = idp.certificate
    provider.save()
    IdentityProviderPage.idp, IdentityProviderPage.provider = idp, provider
    site = f"http://great-lakes.localhost:{port}"

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/accounts/login/")
    button = page.get_by_role("link", name="Sign in with Lakes AMS")
    expect(button).to_be_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert serious_violations(page, name="ams-sign-in-390") == []
    screenshot(page, "ams-sign-in", "sign-in-page")

    settings.ATTUNE_CSP = True  # (axe's script is injected inline: checked before)
    page.reload()

    # By keyboard: focus the button and press Enter.
    button.focus()
    button.press("Enter")
    page.wait_for_url(lambda url: url.startswith(site) and "/sso/" not in url)
    assert urlparse(page.url).path == "/"
    page.set_viewport_size({"width": 1280, "height": 900})  # the header's menu unfolded
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    membership = AssociationMembership.objects.get(association=lakes)
    assert membership.person.email == "lee@example.org"
    assert membership.source == "identity_provider"

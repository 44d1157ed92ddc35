"""Signing in on an association's site through a membership system that speaks OpenID
Connect. The provider is a real one: allauth's OpenID Connect provider (``allauth.idp.oidc``,
the one Attune's platform runs), on the live server with a client registration for the AMS
connection; the site is allauth's client. Its ``email_verified`` claim stands in for a
membership status claim."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.idp.oidc.models import Client as OIDCClient
from django.test import Client

from commerce.memberships.models import AssociationMembership, MembershipPlan
from interop.sso import secrets
from interop.sso.models import ExternalIdentity, IdentityProvider
from tests.conftest import ensure_default_site
from tests.courses.factories import association
from tests.factories import UserFactory

SITE = "great-lakes.localhost"


@pytest.fixture
def connected(live_server, transactional_db, settings):
    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    plan = MembershipPlan.objects.create(association=lakes, name="Individual", annual_dues=1)
    client = OIDCClient(id="lakes-ams", name="Lakes AMS")
    client.type = OIDCClient.Type.CONFIDENTIAL
    client.skip_consent = True
    client.set_scopes(["openid", "email", "profile"])
    client.set_default_scopes(["openid", "email", "profile"])
    client.set_grant_types([OIDCClient.GrantType.AUTHORIZATION_CODE])
    client.set_response_types([OIDCClient.ResponseType.CODE])
    client.set_redirect_uris([f"http://{SITE}/sso/oidc/callback/"])
    client.set_secret("ams-secret")
    client.save()
    provider = IdentityProvider.objects.create(
        association=lakes,
        name="Lakes AMS",
        protocol="oidc",
        enabled=True,
        oidc_issuer=live_server.url,
        oidc_client_id="lakes-ams",
        oidc_secret_encrypted=secrets.encrypt("ams-secret"),
        status_attribute="email_verified",
        active_values="true",
        membership_plan=plan,
    )
    return provider, lakes


def through_the_provider(site_browser, member):
    """The site's button, the provider's authorize (signed in there as ``member``), and the
    way back to the site's callback."""
    start = site_browser.get("/sso/oidc/login/", {"next": "/catalog/"}, HTTP_HOST=SITE)
    assert start.status_code == 302, start.content[:500]
    authorize = urlsplit(start["Location"])
    provider_browser = Client()
    provider_browser.force_login(member)
    answer = provider_browser.get(f"{authorize.path}?{authorize.query}", HTTP_HOST=authorize.netloc)
    assert answer.status_code == 302, answer.content[:500]
    back = urlsplit(answer["Location"])
    assert back.netloc == SITE and back.path == "/sso/oidc/callback/", answer["Location"]
    assert "code" in parse_qs(back.query)
    return site_browser.get(f"{back.path}?{back.query}", HTTP_HOST=SITE)


def test_a_member_signs_in_with_an_openid_connect_ams(connected):
    provider, lakes = connected
    # The AMS's person (on the provider) has no Attune account on the site's side yet: in
    # this one database they are the same row, so the test signs in an AMS account whose
    # e-mail no one else uses and checks the link is by ``sub``.
    member = UserFactory(email="member@ams.example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=True)
    site_browser = Client()

    done = through_the_provider(site_browser, member)

    # The e-mail is taken (by the provider's own account row): not merged, asked to link.
    assert done.status_code == 302 and done["Location"] == "/sso/link/"
    assert not ExternalIdentity.objects.exists()
    linked = site_browser.post("/sso/link/", {"password": "correct-horse-battery"}, HTTP_HOST=SITE)
    assert linked.status_code == 302 and linked["Location"] == "/catalog/"
    identity = ExternalIdentity.objects.get(provider=provider)
    assert identity.user == member and identity.subject == str(member.pk)
    assert AssociationMembership.objects.get(association=lakes).person == member

    # Next time: straight in, by its subject.
    again = Client()
    done = through_the_provider(again, member)
    assert done.status_code == 302 and done["Location"] == "/catalog/"
    assert int(again.session["_auth_user_id"]) == member.pk


def test_a_forged_callback_is_refused(connected):
    site_browser = Client()
    site_browser.get("/sso/oidc/login/", HTTP_HOST=SITE)
    forged = site_browser.get(
        "/sso/oidc/callback/", {"code": "made-up", "state": "made-up"}, HTTP_HOST=SITE
    )
    assert forged.status_code in (400, 401)  # allauth's sign-in error page, in the brand
    assert "_auth_user_id" not in site_browser.session
    assert not ExternalIdentity.objects.exists()

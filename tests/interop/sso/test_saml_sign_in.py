"""Signing in on an association's site through its membership system's SAML identity
provider: pysaml2's own IdP (tests/interop/sso/idp.py) with its own key answers Attune's
AuthnRequests; what it asserts signs the member in and sets their membership, and every
answer Attune must not trust is refused with a page that says so, changing nothing."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from commerce.memberships.models import (
    AssociationMembership,
    MembershipPlan,
    MembershipSource,
    MembershipStatus,
)
from commerce.memberships.selectors import is_member
from interop.sso import saml
from interop.sso.models import ExternalIdentity, IdentityProvider, SeenAssertion
from tests.factories import UserFactory

from .idp import IDP_ENTITY_ID, IDP_SSO_URL, TestIdP

GREAT_LAKES = "great-lakes.localhost"
PRAIRIE = "prairie.localhost"


def connect(association, **extra) -> IdentityProvider:
    return IdentityProvider.objects.create(
        association=association,
        name="Lakes AMS",
        enabled=True,
        idp_entity_id=IDP_ENTITY_ID,
        idp_sso_url=IDP_SSO_URL,
        idp_certificate="",  # filled once the IdP has its key
        expiry_attribute="membership_expires",
        **extra,
    )


@pytest.fixture
def world(great_lakes, prairie):
    plan = MembershipPlan.objects.create(
        association=great_lakes, name="Individual", annual_dues=7000
    )
    lakes = connect(great_lakes, membership_plan=plan)
    prairie_idp = connect(prairie)
    idp = TestIdP(sp_metadata=[saml.sp_metadata(lakes), saml.sp_metadata(prairie_idp)])
    for provider in (lakes, prairie_idp):
        provider.idp_certificate = idp.certificate
        provider.save()
    return idp, lakes, prairie_idp, plan


def start(client, *, next_url="/catalog/"):
    response = client.get("/sso/saml/login/", {"next": next_url}, HTTP_HOST=GREAT_LAKES)
    assert response.status_code == 302
    assert response["Location"].startswith(IDP_SSO_URL)
    return response["Location"]


def post(client, saml_response, relay_state="/catalog/"):
    """As a browser does: the membership system's page posts (from its own site, so without
    the session cookie), Attune sends the browser back by GET (with it)."""
    held = Client().post(
        "/sso/saml/acs/",
        {"SAMLResponse": saml_response, "RelayState": relay_state},
        HTTP_HOST=GREAT_LAKES,
    )
    if held.status_code != 303:
        return held
    return client.get(held["Location"], HTTP_HOST=GREAT_LAKES)


def answer(idp, lakes, request_id, **kwargs):
    return idp.response(
        in_response_to=request_id,
        destination=saml.acs_url(lakes),
        audience=saml.entity_id(lakes),
        **kwargs,
    )


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def test_a_member_signs_in_and_holds_the_membership(world):
    idp, lakes, _, plan = world
    client = Client()
    request_id, relay_state = idp.read_request(start(client))
    assert relay_state == "/catalog/"

    response = post(client, answer(idp, lakes, request_id))

    assert response.status_code == 302 and response["Location"] == "/catalog/"
    learner = signed_in_as(client)
    assert learner.email == "lee@example.org" and learner.first_name == "Lee"
    assert not learner.has_usable_password()
    assert ExternalIdentity.objects.get(provider=lakes).subject == "ams-1001"
    membership = AssociationMembership.objects.get(person=learner)
    assert membership.source == MembershipSource.IDENTITY_PROVIDER
    assert membership.ends_on == datetime.date(2099, 6, 30)
    assert is_member(person=learner, association=plan.association)

    # The next sign-in, the AMS says the membership lapsed: so does Attune's.
    again = Client()
    request_id, _ = idp.read_request(start(again))
    response = post(
        again, answer(idp, lakes, request_id, attributes={"membership_status": ["lapsed"]})
    )
    assert signed_in_as(again) == learner
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LAPSED
    assert get_user_model().objects.filter(email="lee@example.org").count() == 1


def test_the_sign_in_page_offers_the_association_system_on_its_site_only(world, great_lakes):
    from lms.accounts.sso.clients import client_id_for

    authorize = f"/identity/o/authorize?client_id={client_id_for(great_lakes.site)}"
    page = Client().get("/accounts/login/", {"next": authorize})
    assert "Sign in with Lakes AMS" in page.content.decode()
    assert "http://great-lakes.localhost/sso/saml/login/" in page.content.decode()
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()


def refused(response, words):
    assert response.status_code == 400
    assert words in response.content.decode()


def nothing_changed():
    assert not AssociationMembership.objects.exists()
    assert not ExternalIdentity.objects.exists()
    assert not get_user_model().objects.filter(email="lee@example.org").exists()


def test_an_unsigned_assertion_is_refused(world):
    idp, lakes, _, _ = world
    client = Client()
    request_id, _ = idp.read_request(start(client))
    response = post(client, answer(idp, lakes, request_id, sign_assertion=False))
    refused(response, "not signed with its key")
    assert signed_in_as(client) is None
    nothing_changed()


def test_a_tampered_assertion_is_refused(world):
    import base64

    idp, lakes, _, _ = world
    client = Client()
    request_id, _ = idp.read_request(start(client))
    xml = base64.b64decode(answer(idp, lakes, request_id)).decode()
    assert "lee@example.org" in xml
    forged = base64.b64encode(xml.replace("lee@example.org", "eve@example.org").encode()).decode()
    refused(post(client, forged), "not signed with its key")
    assert not get_user_model().objects.filter(email="eve@example.org").exists()
    nothing_changed()


def test_an_assertion_signed_by_another_key_is_refused(world):
    idp, lakes, _, _ = world
    impostor = TestIdP(sp_metadata=[saml.sp_metadata(lakes)])
    client = Client()
    request_id, _ = idp.read_request(start(client))
    refused(post(client, answer(impostor, lakes, request_id)), "not signed with its key")
    nothing_changed()


def test_a_replayed_assertion_is_refused(world):
    idp, lakes, _, _ = world
    client = Client()
    request_id, _ = idp.read_request(start(client))
    saml_response = answer(idp, lakes, request_id)
    assert post(client, saml_response).status_code == 302
    client.logout()
    # The same answer again: its request was answered already.
    refused(post(client, saml_response), "Start again")
    # Even where sign-ins started at the AMS are accepted, an assertion is used once.
    lakes.allow_idp_initiated = True
    lakes.save()
    refused(post(Client(), saml_response), "already used")
    assert SeenAssertion.objects.count() == 1


def test_an_answer_to_no_request_of_ours_is_refused(world):
    idp, lakes, _, _ = world
    refused(post(Client(), answer(idp, lakes, "id-we-never-sent")), "not started here")
    refused(post(Client(), answer(idp, lakes, None)), "not started here")
    nothing_changed()


def test_an_assertion_for_the_other_association_is_refused(world):
    idp, lakes, prairie_idp, _ = world
    client = Client()
    request_id, _ = idp.read_request(start(client))
    for_prairie = idp.response(
        in_response_to=request_id,
        destination=saml.acs_url(lakes),
        audience=saml.entity_id(prairie_idp),
    )
    refused(post(client, for_prairie), "meant for another site")
    nothing_changed()


def test_an_existing_account_with_the_email_is_not_merged(world):
    idp, lakes, _, _ = world
    existing = UserFactory(email="lee@example.org")
    client = Client()
    request_id, _ = idp.read_request(start(client))

    response = post(client, answer(idp, lakes, request_id))

    assert response.status_code == 302 and response["Location"] == "/sso/link/"
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()
    page = client.get("/sso/link/", HTTP_HOST=GREAT_LAKES)
    assert "already uses lee@example.org" in page.content.decode()
    wrong = client.post("/sso/link/", {"password": "guess"}, HTTP_HOST=GREAT_LAKES)
    assert wrong.status_code == 400 and signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()

    right = client.post("/sso/link/", {"password": "correct-horse-battery"}, HTTP_HOST=GREAT_LAKES)

    assert right.status_code == 302 and right["Location"] == "/catalog/"
    assert signed_in_as(client) == existing
    assert ExternalIdentity.objects.get(provider=lakes).user == existing
    assert AssociationMembership.objects.get().person == existing


@pytest.mark.parametrize("garbage", ["", "not base64!", "PHhtbD48L3htbD4="])
def test_garbage_is_refused_not_a_500(world, garbage):
    refused(post(Client(), garbage), "")
    nothing_changed()


def test_a_site_without_a_connection_has_no_saml_endpoints(world, prairie):
    IdentityProvider.objects.filter(association=prairie).update(enabled=False)
    for path in ("/sso/saml/login/", "/sso/saml/metadata/"):
        assert Client().get(path, HTTP_HOST=PRAIRIE).status_code == 404
    assert Client().post("/sso/saml/acs/", HTTP_HOST=PRAIRIE).status_code == 404


def test_the_sp_metadata_names_this_association_acs(world):
    response = Client().get("/sso/saml/metadata/", HTTP_HOST=GREAT_LAKES)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'entityID="http://great-lakes.localhost/sso/saml/metadata/"' in body
    assert "http://great-lakes.localhost/sso/saml/acs/" in body


def test_a_held_answer_is_used_once_and_only_by_the_browser_that_asked(world):
    idp, lakes, _, _ = world
    client = Client()
    request_id, _ = idp.read_request(start(client))
    held = Client().post(
        "/sso/saml/acs/", {"SAMLResponse": answer(idp, lakes, request_id)}, HTTP_HOST=GREAT_LAKES
    )
    assert held.status_code == 303
    # Another browser (an attacker handing out the link) did not start this sign-in.
    refused(Client().get(held["Location"], HTTP_HOST=GREAT_LAKES), "not started here")
    # Gone once looked at, even by the right browser.
    refused(client.get(held["Location"], HTTP_HOST=GREAT_LAKES), "not started here")
    nothing_changed()


def test_an_account_with_a_second_factor_is_not_linked_by_password_alone(world):
    from allauth.mfa.models import Authenticator

    idp, lakes, _, _ = world
    existing = UserFactory(email="lee@example.org")
    Authenticator.objects.create(user=existing, type=Authenticator.Type.TOTP, data={})
    client = Client()
    request_id, _ = idp.read_request(start(client))
    assert post(client, answer(idp, lakes, request_id))["Location"] == "/sso/link/"
    tried = client.post("/sso/link/", {"password": "correct-horse-battery"}, HTTP_HOST=GREAT_LAKES)
    refused(tried, "two-factor authentication")
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()

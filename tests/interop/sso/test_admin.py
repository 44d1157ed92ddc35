"""The connection screen in Wagtail's admin: an association's administrators connect their
membership system, see the addresses to give it, and nobody else sees or changes it."""

import pytest
from django.urls import reverse

from commerce.memberships.models import MembershipPlan
from interop.sso import secrets
from interop.sso.models import IdentityProvider
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member

from .idp import IDP_ENTITY_ID, IDP_SSO_URL, key_and_certificate

ADD = "wagtailsnippets_interop_sso_identityprovider:add"


def form(association, **extra):
    data = {
        "association": association.pk,
        "name": "Lakes AMS",
        "protocol": "saml",
        "enabled": "on",
        "idp_metadata_xml": "",
        "idp_entity_id": IDP_ENTITY_ID,
        "idp_sso_url": IDP_SSO_URL,
        "idp_certificate": key_and_certificate("AMS")[1].decode(),
        "subject_attribute": "",
        "email_attribute": "email",
        "first_name_attribute": "given_name",
        "last_name_attribute": "family_name",
        "status_attribute": "membership_status",
        "active_values": "active, grace",
        "expiry_attribute": "",
        "membership_plan": "",
        "oidc_issuer": "",
        "oidc_client_id": "",
        "oidc_secret": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_admin_connects_the_association_ams_and_sees_what_to_give_it(
    client, great_lakes, prairie
):
    admin = member(great_lakes, Role.ADMIN)
    plan = MembershipPlan.objects.create(association=great_lakes, name="Member", annual_dues=1)
    client.force_login(admin)

    response = client.post(reverse(ADD), form(great_lakes, membership_plan=plan.pk))

    assert response.status_code == 302, response.content.decode()[:3000]
    provider = IdentityProvider.objects.get()
    assert provider.association == great_lakes and provider.membership_plan == plan
    assert provider.active_value_set() == {"active", "grace"}
    edit = reverse("wagtailsnippets_interop_sso_identityprovider:edit", args=[provider.pk])
    page = client.get(edit).content.decode()
    assert "http://great-lakes.localhost/sso/saml/metadata/" in page
    assert "http://great-lakes.localhost/sso/saml/acs/" in page
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_CHANGED)
    assert event.organization == great_lakes and event.details["change"] == "created"
    assert event.details["protocol"] == "saml"


@pytest.mark.django_db
def test_incomplete_or_foreign_settings_are_refused_and_nothing_saved(client, great_lakes, prairie):
    client.force_login(member(great_lakes, Role.ADMIN))
    theirs = MembershipPlan.objects.create(association=prairie, name="Theirs", annual_dues=1)
    for data in (
        form(great_lakes, idp_certificate=""),  # SAML without metadata nor certificate
        form(great_lakes, membership_plan=theirs.pk),  # another association's plan
        form(prairie),  # another association
        form(great_lakes, protocol="oidc", oidc_issuer=""),
    ):
        assert client.post(reverse(ADD), data).status_code == 200
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
def test_the_oidc_secret_is_stored_encrypted_and_never_shown(client, great_lakes):
    client.force_login(member(great_lakes, Role.ADMIN))
    data = form(
        great_lakes,
        protocol="oidc",
        oidc_issuer="https://ams.example.org",
        oidc_client_id="attune",
        oidc_secret="s3cret-value",
    )
    assert client.post(reverse(ADD), data).status_code == 302
    provider = IdentityProvider.objects.get()
    assert "s3cret-value" not in provider.oidc_secret_encrypted
    assert secrets.decrypt(provider.oidc_secret_encrypted) == "s3cret-value"
    edit = reverse("wagtailsnippets_interop_sso_identityprovider:edit", args=[provider.pk])
    assert "s3cret-value" not in client.get(edit).content.decode()


@pytest.mark.django_db
def test_other_associations_and_editors_cannot_see_it(client, great_lakes, prairie):
    provider = IdentityProvider.objects.create(association=great_lakes, name="Lakes AMS")
    edit = reverse("wagtailsnippets_interop_sso_identityprovider:edit", args=[provider.pk])
    listing = reverse("wagtailsnippets_interop_sso_identityprovider:list")
    client.force_login(member(prairie, Role.ADMIN))
    assert client.get(edit).status_code in (302, 403)
    assert "Lakes AMS" not in client.get(listing).content.decode()
    client.force_login(member(great_lakes, Role.EDITOR))
    assert client.get(edit).status_code in (302, 403)
    assert client.post(edit, form(great_lakes, name="Hijacked")).status_code in (302, 403)
    provider.refresh_from_db()
    assert provider.name == "Lakes AMS"

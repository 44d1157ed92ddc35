"""Connecting a platform: by the admin's form, or by LTI Dynamic Registration; the screen
shows only the organization's own connections."""

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

from interop.lti.models import DynamicRegistration, PlatformConnection
from interop.lti.services.dynamic_registration import make_link
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member

pytestmark = pytest.mark.django_db


def _form(platform, organization, **overrides):
    data = {
        "action": "connect",
        "connect-organization": organization.pk,
        "connect-name": "Great Lakes Moodle",
        "connect-issuer": platform.issuer,
        "connect-client_id": platform.client_id,
        "connect-auth_url": platform.auth_url,
        "connect-token_url": platform.token_url,
        "connect-keyset_url": platform.keyset_url,
        "connect-deployment_ids": "deployment-1\ndeployment-2",
    }
    data.update(overrides)
    return data


def test_an_admin_connects_a_platform_and_a_launch_then_works(
    great_lakes, lti_platform, client, lti_course
):
    from interop.lti.services.targets import custom_parameters

    admin = member(great_lakes, Role.ADMIN)
    client.force_login(admin)
    page = client.get("/admin/lti/")
    assert page.status_code == 200
    assert b"/lti/login/" in page.content and b"/lti/jwks.json" in page.content
    answer = client.post("/admin/lti/", _form(lti_platform, great_lakes))
    assert answer.status_code == 302
    connection = PlatformConnection.objects.get()
    assert connection.organization == great_lakes and connection.created_by == admin
    assert set(
        LtiDeployment.objects.filter(is_active=True).values_list("deployment_id", flat=True)
    ) == {"deployment-1", "deployment-2"}

    client.logout()
    client.defaults["HTTP_HOST"] = "great-lakes.localhost"
    launched = lti_platform.launch(
        client, user_id="u-1", custom=custom_parameters(training=lti_course)
    )
    assert launched.status_code == 302


def test_bad_input_changes_nothing(great_lakes, lti_platform, client):
    client.force_login(member(great_lakes, Role.ADMIN))
    answer = client.post(
        "/admin/lti/", _form(lti_platform, great_lakes, **{"connect-keyset_url": "not a url"})
    )
    assert answer.status_code == 200
    answer = client.post(
        "/admin/lti/", _form(lti_platform, great_lakes, **{"connect-deployment_ids": " "})
    )
    assert answer.status_code == 200
    assert not LtiRegistration.objects.exists()
    client.post("/admin/lti/", _form(lti_platform, great_lakes))
    again = client.post("/admin/lti/", _form(lti_platform, great_lakes))
    assert again.status_code == 200 and b"already connected" in again.content
    assert LtiRegistration.objects.count() == 1


def test_the_screen_is_scoped_to_the_admins_organization(
    great_lakes, prairie, lti_connection, client
):
    theirs = member(prairie, Role.ADMIN)
    client.force_login(theirs)
    page = client.get("/admin/lti/")
    assert page.status_code == 200
    assert b"Great Lakes Canvas" not in page.content
    assert client.get(f"/admin/lti/{lti_connection.pk}/").status_code == 404
    assert (
        client.post(f"/admin/lti/{lti_connection.pk}/active/", {"active": "0"}).status_code == 404
    )
    lti_connection.registration.refresh_from_db()
    assert lti_connection.registration.is_active
    # Nor can they connect a platform for Great Lakes.
    answer = client.post(
        "/admin/lti/", {"action": "connect", "connect-organization": great_lakes.pk}
    )
    assert (
        answer.status_code == 200
        and not PlatformConnection.objects.exclude(pk=lti_connection.pk).exists()
    )
    editor = member(great_lakes, Role.EDITOR)
    client.force_login(editor)
    assert client.get("/admin/lti/").status_code in (302, 403)


def test_an_admin_edits_the_deployments_and_switches_launches_off(
    great_lakes, lti_connection, client
):
    admin = member(great_lakes, Role.ADMIN)
    client.force_login(admin)
    page = client.get(f"/admin/lti/{lti_connection.pk}/")
    assert page.status_code == 200 and b"deployment-1" in page.content
    client.post(f"/admin/lti/{lti_connection.pk}/", {"deployment_ids": "deployment-9"})
    active = LtiDeployment.objects.filter(is_active=True).values_list("deployment_id", flat=True)
    assert list(active) == ["deployment-9"]
    client.post(f"/admin/lti/{lti_connection.pk}/active/", {"active": "0"})
    lti_connection.registration.refresh_from_db()
    assert not lti_connection.registration.is_active
    # Each change is in the association's audit log, with who made it.
    events = AuditEvent.objects.filter(action=AuditAction.LTI_PLATFORM_CHANGED, actor=admin)
    assert [(e.organization, e.details["change"]) for e in events.order_by("pk")] == [
        (great_lakes, "deployments"),
        (great_lakes, "switched_off"),
    ]
    assert events.order_by("pk").first().details["deployments"] == ["deployment-9"]


def test_dynamic_registration_connects_the_platform_once(great_lakes, lti_platform, client):
    admin = member(great_lakes, Role.ADMIN)
    link = make_link(organization=great_lakes, by=admin)
    client.defaults["HTTP_HOST"] = "great-lakes.localhost"
    url = f"/lti/register/{link.token}/"
    query = {
        "openid_configuration": lti_platform.openid_configuration_url,
        "registration_token": lti_platform.registration_token,
    }
    answer = client.get(url, query)
    assert answer.status_code == 200, answer.content[:400]
    assert b"org.imsglobal.lti.close" in answer.content
    connection = PlatformConnection.objects.get()
    assert connection.organization == great_lakes
    assert connection.registration.client_id == lti_platform.client_id
    assert connection.registration.keyset_url == lti_platform.keyset_url
    assert connection.registration.deployments.get().deployment_id == lti_platform.deployment_id
    sent = lti_platform.tool_registrations[-1]
    assert sent["initiate_login_uri"] == "http://great-lakes.localhost/lti/login/"
    assert sent["jwks_uri"] == "http://great-lakes.localhost/lti/jwks.json"
    link.refresh_from_db()
    assert link.status == DynamicRegistration.Status.USED
    # The link is used up.
    assert client.get(url, query).status_code == 400
    assert PlatformConnection.objects.count() == 1


def test_dynamic_registration_refuses_a_bad_token_and_a_missing_configuration(
    great_lakes, lti_platform, client
):
    link = make_link(organization=great_lakes, by=None)
    url = f"/lti/register/{link.token}/"
    assert client.get(url).status_code == 400
    answer = client.get(
        url,
        {"openid_configuration": lti_platform.openid_configuration_url, "registration_token": "x"},
    )
    assert answer.status_code == 400
    assert not PlatformConnection.objects.exists()
    assert client.get("/lti/register/not-a-token/").status_code == 404

"""Faculty institutes teach in Canvas and Moodle too: an institute's admin manages its own
learning-platform connections (and nothing else's: not webhooks or API tokens, not another
organization's platforms); its editors and other institutes' admins are refused. The
content picker offers an organization exactly the library modules courses let it use."""

import pytest
from lti_tool.models import LtiContext, LtiDeployment

from courses.models import LibraryModule
from courses.selectors.library import modules_available_to
from interop.lti.models import PlatformConnection, RosterPull
from interop.lti.services.connections import connect_platform
from interop.lti.services.deep_linking import modules_for
from interop.lti.services.targets import custom_parameters, resolve_target
from lms.organizations.models import Role
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can
from tests.courses.factories import institute, library_module, member

from .platform import INSTRUCTOR

pytestmark = pytest.mark.django_db


def _connect(organization, name, issuer):
    return connect_platform(
        organization=organization,
        name=name,
        issuer=issuer,
        client_id=f"{organization.slug}-client",
        auth_url=f"{issuer}/auth",
        token_url=f"{issuer}/token",
        keyset_url=f"{issuer}/jwks",
        deployment_ids=["deployment-1"],
    )


@pytest.fixture
def riverbend(framework):
    return institute("riverbend")


@pytest.fixture
def riverbend_moodle(riverbend):
    return _connect(riverbend, "Riverbend Moodle", "https://moodle.riverbend.example")


def test_an_institutes_admin_manages_its_own_platforms_only(
    great_lakes, riverbend, riverbend_moodle, lti_connection, client
):
    admin = member(riverbend, Role.ADMIN)
    assert user_can(user=admin, action=Action.MANAGE_LEARNING_PLATFORMS, organization=riverbend)
    # Webhooks, API tokens and the rest of the integrations stay the associations'.
    assert not user_can(user=admin, action=Action.MANAGE_INTEGRATIONS, organization=riverbend)

    client.force_login(admin)
    page = client.get("/admin/lti/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Riverbend Moodle" in html and "Great Lakes Canvas" not in html
    assert "Learning platforms (LTI)" in client.get("/admin/").content.decode()
    assert client.get(f"/admin/lti/{riverbend_moodle.pk}/").status_code == 200
    assert client.get(f"/admin/lti/{riverbend_moodle.pk}/courses/").status_code == 200
    # Great Lakes' connection is not theirs: not shown, not changed.
    assert client.get(f"/admin/lti/{lti_connection.pk}/").status_code == 404
    assert client.get(f"/admin/lti/{lti_connection.pk}/courses/").status_code == 404
    assert (
        client.post(f"/admin/lti/{lti_connection.pk}/active/", {"active": "0"}).status_code == 404
    )
    lti_connection.registration.refresh_from_db()
    assert lti_connection.registration.is_active

    # They connect a platform for the institute, never for Great Lakes.
    form = {
        "action": "connect",
        "connect-name": "Riverbend Canvas",
        "connect-issuer": "https://canvas.riverbend.example",
        "connect-client_id": "rb-canvas",
        "connect-auth_url": "https://canvas.riverbend.example/auth",
        "connect-token_url": "https://canvas.riverbend.example/token",
        "connect-keyset_url": "https://canvas.riverbend.example/jwks",
        "connect-deployment_ids": "d-1",
    }
    forged = client.post("/admin/lti/", {**form, "connect-organization": great_lakes.pk})
    assert forged.status_code == 200
    assert not PlatformConnection.objects.filter(registration__name="Riverbend Canvas").exists()
    made = client.post("/admin/lti/", {**form, "connect-organization": riverbend.pk})
    assert made.status_code == 302
    assert PlatformConnection.objects.get(registration__name="Riverbend Canvas").organization == (
        riverbend
    )

    # Their own connection's launches can be switched off.
    assert (
        client.post(f"/admin/lti/{riverbend_moodle.pk}/active/", {"active": "0"}).status_code == 302
    )
    riverbend_moodle.registration.refresh_from_db()
    assert not riverbend_moodle.registration.is_active


def test_an_institutes_editor_and_another_institutes_admin_are_refused(
    riverbend, riverbend_moodle, client
):
    editor = member(riverbend, Role.EDITOR)
    client.force_login(editor)
    assert client.get("/admin/lti/").status_code in (302, 403)
    assert client.get(f"/admin/lti/{riverbend_moodle.pk}/").status_code in (302, 403)
    assert "Learning platforms (LTI)" not in client.get("/admin/").content.decode()

    lakeshore = institute("lakeshore")
    _connect(lakeshore, "Lakeshore Brightspace", "https://d2l.lakeshore.example")
    client.force_login(member(lakeshore, Role.ADMIN))
    page = client.get("/admin/lti/").content.decode()
    assert "Lakeshore Brightspace" in page and "Riverbend Moodle" not in page
    assert client.get(f"/admin/lti/{riverbend_moodle.pk}/").status_code == 404
    assert (
        client.post(f"/admin/lti/{riverbend_moodle.pk}/", {"deployment_ids": "stolen"}).status_code
        == 404
    )
    assert (
        client.post(f"/admin/lti/{riverbend_moodle.pk}/active/", {"active": "0"}).status_code == 404
    )
    context = LtiContext.objects.create(
        deployment=LtiDeployment.objects.get(registration=riverbend_moodle.registration),
        id_on_platform="course-1",
        title="Infant mental health 101",
        memberships_url="https://moodle.riverbend.example/memberships",
    )
    courses = f"/admin/lti/{riverbend_moodle.pk}/courses/"
    assert client.post(courses, {"context": context.pk}).status_code == 404
    riverbend_moodle.registration.refresh_from_db()
    assert riverbend_moodle.registration.is_active
    assert list(
        LtiDeployment.objects.filter(
            registration=riverbend_moodle.registration, is_active=True
        ).values_list("deployment_id", flat=True)
    ) == ["deployment-1"]
    assert not RosterPull.objects.exists()


@pytest.fixture
def library(great_lakes, prairie, riverbend):
    lakeshore = institute("lakeshore")
    draft = library_module(riverbend, "Riverbend draft")
    LibraryModule.objects.filter(pk=draft.pk).update(live=False)
    return {
        "riverbend own": library_module(riverbend, "Riverbend own"),
        "riverbend draft": draft,
        "lakeshore private": library_module(lakeshore, "Lakeshore private"),
        "lakeshore for great lakes": library_module(
            lakeshore, "Lakeshore for Great Lakes", shared_with=[great_lakes]
        ),
        "lakeshore for prairie": library_module(
            lakeshore, "Lakeshore for Prairie", shared_with=[prairie]
        ),
        "lakeshore for all": library_module(lakeshore, "Lakeshore for all", shared_with_all=True),
    }


def _titles(modules) -> set[str]:
    return {module.title for module in modules}


def test_the_picker_offers_each_organization_the_modules_courses_let_it_use(
    great_lakes, prairie, riverbend, library
):
    assert _titles(modules_for(organization=riverbend)) == {"Riverbend own", "Lakeshore for all"}
    assert _titles(modules_for(organization=great_lakes)) == {
        "Lakeshore for Great Lakes",
        "Lakeshore for all",
    }
    assert _titles(modules_for(organization=prairie)) == {
        "Lakeshore for Prairie",
        "Lakeshore for all",
    }
    # The same rule as the course editors' module chooser, and a launch naming a module the
    # organization may not use opens nothing.
    for organization in (great_lakes, prairie, riverbend):
        assert _titles(modules_for(organization=organization)) == _titles(
            modules_available_to(organization=organization)
        )
    for name in ("riverbend own", "riverbend draft", "lakeshore private", "lakeshore for prairie"):
        custom = custom_parameters(module=library[name])
        assert resolve_target(organization=great_lakes, custom=custom, target_link_uri="") is None
    mine = custom_parameters(module=library["riverbend own"])
    assert (
        resolve_target(organization=riverbend, custom=mine, target_link_uri="").module
        == (library["riverbend own"])
    )


def test_the_associations_picker_never_offers_or_accepts_a_module_it_may_not_use(
    great_lakes, library, lti_platform, lti_connection, lti_client, lti_course
):
    picker = lti_platform.launch(
        lti_client, user_id="teacher-1", roles=[INSTRUCTOR], deep_linking=True
    )
    assert picker.status_code == 200, picker.content[:500]
    html = picker.content.decode()
    assert "Lakeshore for Great Lakes" in html and "Lakeshore for all" in html
    for title in ("Riverbend own", "Riverbend draft", "Lakeshore private", "Lakeshore for Prairie"):
        assert title not in html
    forged = lti_client.post("/lti/deep-linking/", {"module": [library["lakeshore private"].pk]})
    assert forged.status_code == 400
    assert "JWT" not in forged.content.decode()
    assert lti_platform.deep_linked == []

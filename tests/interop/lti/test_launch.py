"""Resource-link launches from a real platform: sign-in, the account, the target, refusals."""

import re

import pytest
from lti_tool.models import LtiUser

from courses.models import Enrollment
from interop.lti.models import Placement, PlacementLaunch
from interop.lti.services.launches import placements_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_launch_signs_the_learner_in_and_opens_the_course(
    lti_platform, lti_connection, lti_client, lti_course, lti_target
):
    answer = lti_platform.launch(lti_client, user_id="canvas-user-1", custom=lti_target)
    assert answer.status_code == 302, answer.content[:500]
    assert answer["Location"] == lti_course.get_url(current_site=lti_course.get_site())
    page = lti_client.get(answer["Location"])
    assert page.status_code == 200
    lti_user = LtiUser.objects.get(registration=lti_connection.registration, sub="canvas-user-1")
    learner = lti_user.auth_user
    assert int(lti_client.session["_auth_user_id"]) == learner.pk
    assert learner.email.endswith("@lti.invalid")
    assert Enrollment.objects.filter(learner=learner, training=lti_course).exists()
    placement = Placement.objects.get()
    assert placement.training.pk == lti_course.pk
    assert placement.lineitem_url.endswith("/lineitems/rl-link-1")
    assert list(placements_for(user=learner, training=lti_course)) == [placement]
    context = placement.resource_link.context
    assert context.memberships_url == lti_platform.memberships_url("course-1")

    lti_client.logout()
    again = lti_platform.launch(lti_client, user_id="canvas-user-1", custom=lti_target)
    assert again.status_code == 302
    assert int(lti_client.session["_auth_user_id"]) == learner.pk
    assert LtiUser.objects.filter(sub="canvas-user-1").count() == 1
    assert PlacementLaunch.objects.get().user == learner


def _refused(answer, status, words):
    body = answer.content.decode()
    assert answer.status_code == status, body[:300]
    assert words in body
    assert "Traceback" not in body
    return body


@pytest.mark.parametrize(
    ("tampering", "words"),
    [
        ({"rogue_signature": True}, "signature does not match the platform"),
        ({"audience": "some-other-tool"}, "meant for another tool"),
        ({"expires_in": -120}, "The launch has expired"),
        ({"deployment_id": "deployment-unknown"}, "does not know this deployment"),
    ],
    ids=["bad-signature", "wrong-audience", "expired", "unknown-deployment"],
)
def test_a_tampered_launch_is_refused_with_a_clear_page(
    lti_platform, lti_connection, lti_client, lti_target, tampering, words
):
    answer = lti_platform.launch(lti_client, user_id="u-1", custom=lti_target, **tampering)
    _refused(answer, 403, words)
    assert "_auth_user_id" not in lti_client.session
    assert not LtiUser.objects.exists()
    assert not Enrollment.objects.exists()


def test_a_launch_posted_twice_is_refused_the_second_time(
    lti_platform, lti_connection, lti_client, lti_target
):
    assert lti_platform.launch(lti_client, user_id="u-1", custom=lti_target).status_code == 302
    lti_client.logout()
    _refused(lti_platform.replay(lti_client), 403, "This launch was already used")
    assert "_auth_user_id" not in lti_client.session


def test_an_unconnected_platform_is_refused_at_login(great_lakes, lti_platform, lti_client):
    answer = lti_platform.launch(lti_client, user_id="u-1")
    _refused(answer, 403, "Attune does not know this platform")


def test_a_switched_off_connection_refuses_launches(
    lti_platform, lti_connection, lti_client, lti_target
):
    from interop.lti.services.connections import set_active

    set_active(connection=lti_connection, active=False)
    _refused(
        lti_platform.launch(lti_client, user_id="u-1", custom=lti_target), 403, "does not know"
    )


def test_a_link_to_another_tenants_training_opens_nothing(
    prairie, lti_platform, lti_connection, lti_client
):
    from interop.lti.services.targets import custom_parameters
    from tests.courses.factories import training

    theirs = training(prairie, "Prairie's own course")
    answer = lti_platform.launch(
        lti_client, user_id="u-1", custom=custom_parameters(training=theirs)
    )
    _refused(answer, 400, "does not lead to anything in Attune")
    assert not Enrollment.objects.exists()


def test_an_unverified_email_never_signs_into_the_existing_account(
    lti_platform, lti_connection, lti_client, lti_target
):
    existing = UserFactory(email="pat@example.org")
    answer = lti_platform.launch(
        lti_client, user_id="u-1", custom=lti_target, email="pat@example.org"
    )
    assert answer.status_code == 302
    signed_in = int(lti_client.session["_auth_user_id"])
    assert signed_in != existing.pk
    assert LtiUser.objects.get(sub="u-1").email == "pat@example.org"
    assert LtiUser.objects.get(sub="u-1").auth_user.email.endswith("@lti.invalid")


def test_a_verified_email_links_the_existing_account_but_never_a_staff_one(
    great_lakes, lti_platform, lti_connection, lti_client, lti_target
):
    from lms.organizations.models import Role
    from tests.courses.factories import member

    learner = UserFactory(email="pat@example.org")
    answer = lti_platform.launch(
        lti_client, user_id="u-1", custom=lti_target, email="PAT@example.org", email_verified=True
    )
    assert answer.status_code == 302
    assert int(lti_client.session["_auth_user_id"]) == learner.pk

    admin = member(great_lakes, Role.ADMIN, user__email="boss@example.org")
    lti_client.logout()
    lti_platform.launch(
        lti_client, user_id="u-2", custom=lti_target, email="boss@example.org", email_verified=True
    )
    assert int(lti_client.session["_auth_user_id"]) != admin.pk


def test_a_lesson_link_opens_the_lesson_and_enrolls_in_its_course(
    lti_platform, lti_connection, lti_client, lti_course
):
    from courses.models import LessonPage
    from interop.lti.services.targets import custom_parameters

    lesson = lti_course.add_child(instance=LessonPage(title="Serve and return", slug="serve"))
    answer = lti_platform.launch(lti_client, user_id="u-1", custom=custom_parameters(lesson=lesson))
    assert answer.status_code == 302
    assert answer["Location"].endswith("/serve/")
    assert Enrollment.objects.filter(training=lti_course).count() == 1


def test_a_link_by_url_opens_the_page_of_the_organizations_site(
    lti_platform, lti_connection, lti_client, lti_course
):
    url = lti_course.get_url(current_site=lti_course.get_site())
    answer = lti_platform.launch(
        lti_client, user_id="u-1", target_link_uri=f"http://great-lakes.localhost{url}"
    )
    # The platform's target is the page; Attune's launch URL takes the post, then opens it.
    assert answer.status_code == 302
    assert answer["Location"] == url
    assert Enrollment.objects.filter(training=lti_course).count() == 1


def test_a_module_link_opens_the_module_for_its_learner_only(
    great_lakes, lti_platform, lti_connection, lti_client
):
    from interop.lti.services.targets import custom_parameters
    from tests.courses.factories import library_module

    module = library_module(great_lakes, "Serve and return")
    answer = lti_platform.launch(lti_client, user_id="u-1", custom=custom_parameters(module=module))
    assert answer.status_code == 302
    page = lti_client.get(answer["Location"])
    assert page.status_code == 200 and b"Serve and return" in page.content
    lti_client.force_login(UserFactory())
    assert lti_client.get(answer["Location"]).status_code == 404


def test_a_framed_launch_hands_off_to_a_new_window_once(
    lti_platform, lti_connection, lti_client, lti_course, lti_target, client
):
    answer = lti_platform.launch(
        lti_client, user_id="u-1", custom=lti_target, document_target="iframe"
    )
    assert answer.status_code == 200
    assert b"Open in a new window" in answer.content
    handoff = re.search(rb'href="(/lti/continue/[^"]+)"', answer.content).group(1).decode()
    from django.test import Client

    window = Client(HTTP_HOST="great-lakes.localhost")
    opened = window.get(handoff)
    assert opened.status_code == 302
    assert opened["Location"] == lti_course.get_url(current_site=lti_course.get_site())
    again = Client(HTTP_HOST="great-lakes.localhost").get(handoff)
    assert again.status_code == 403


def test_forged_posts_get_the_error_page_never_a_server_error(lti_connection, lti_client):
    for data in ({}, {"id_token": "x", "state": "y"}, {"id_token": "a.b.c", "state": "s"}):
        answer = lti_client.post("/lti/launch/", data)
        assert answer.status_code in (400, 403) and b"Traceback" not in answer.content
    assert lti_client.get("/lti/login/").status_code == 400
    assert lti_client.get("/lti/launch/").status_code == 405
    assert lti_client.get("/lti/continue/forged/").status_code == 403
    assert not LtiUser.objects.exists()

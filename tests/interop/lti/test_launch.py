"""Resource-link launches from a real platform: sign-in, the account, the target, refusals."""

import pytest
from lti_tool.models import LtiUser

from courses.models import Enrollment
from interop.lti.models import Placement, PlacementLaunch
from interop.lti.services.launches import placements_for

pytestmark = pytest.mark.django_db


def test_a_launch_signs_the_learner_in_and_opens_the_course(
    lti_platform, lti_connection, lti_client, lti_course, lti_target
):
    answer = lti_platform.launch(lti_client, user_id="canvas-user-1", custom=lti_target)
    assert answer.status_code == 302, answer.content[:500]
    assert answer["Location"] == lti_course.get_url()
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

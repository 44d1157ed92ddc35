"""Deep Linking against a real platform: an instructor picks trainings and modules of the
connection's organization, the platform accepts Attune's signed answer, and the links it
makes open what was picked. Learners cannot deep link; another tenant's content is never
offered or accepted."""

import pytest
import requests

from interop.lti.models import Placement
from tests.courses.factories import institute, library_module, training

from .platform import INSTRUCTOR, LEARNER, parse_form

pytestmark = pytest.mark.django_db

PICKER = "/lti/deep-linking/"


def _open_picker(platform, client, roles=(INSTRUCTOR,)):
    return platform.launch(client, user_id="teacher-1", roles=list(roles), deep_linking=True)


def test_an_instructor_links_a_training_and_a_module_and_the_platform_accepts_them(
    great_lakes, prairie, lti_platform, lti_connection, lti_client, lti_course, trust_attune_keys
):
    trust_attune_keys(lti_client)
    riverbend = institute()
    module = library_module(riverbend, "Serve and return", shared_with=[great_lakes])
    theirs = training(prairie, "Prairie's own course")
    picker = _open_picker(lti_platform, lti_client)
    assert picker.status_code == 200, picker.content[:800]
    html = picker.content.decode()
    assert lti_course.title in html and "Serve and return" in html
    assert theirs.title not in html

    found = lti_client.get(PICKER, {"q": "Attachment"})
    assert lti_course.title in found.content.decode()

    answer = lti_client.post(PICKER, {"training": [lti_course.pk], "module": [module.pk]})
    assert answer.status_code == 200
    action, fields = parse_form(answer.content.decode())
    assert action == f"{lti_platform.url}/deep_link_return"
    # The browser posts the signed answer to the platform, which checks it with Attune's keys.
    accepted = requests.post(action, data=fields, timeout=10)
    assert accepted.status_code == 200, accepted.text
    [items] = lti_platform.deep_linked
    by_title = {item["title"]: item for item in items}
    course_item = by_title[lti_course.title]
    assert course_item["type"] == "ltiResourceLink"
    assert course_item["lineItem"]["scoreMaximum"] == 100
    assert course_item["url"].endswith("/lti/launch/")
    assert "lineItem" not in by_title["Serve and return"]

    # A second submit (a double click) sends the same answer, not a second set of links.
    again = lti_client.post(PICKER, {"training": [lti_course.pk]})
    assert parse_form(again.content.decode())[1]["JWT"] == fields["JWT"]

    # The platform's link, launched by a learner, opens the training it names.
    launched = lti_platform.launch(
        lti_client, user_id="learner-1", custom=course_item["custom"], resource_link_id="dl-1"
    )
    assert launched.status_code == 302
    assert Placement.objects.get(resource_link__id_on_platform="dl-1").training_id == lti_course.pk


def test_another_tenants_training_is_refused_and_nothing_is_sent(
    prairie, lti_platform, lti_connection, lti_client, lti_course
):
    theirs = training(prairie, "Prairie's own course")
    assert _open_picker(lti_platform, lti_client).status_code == 200
    forged = lti_client.post(PICKER, {"training": [theirs.pk]})
    assert forged.status_code == 400
    assert "JWT" not in forged.content.decode()
    nothing = lti_client.post(PICKER, {})
    assert nothing.status_code == 400
    junk = lti_client.post(PICKER, {"training": ["x"], "module": ["1;drop"]})
    assert junk.status_code == 400
    assert lti_platform.deep_linked == []


def test_a_learner_cannot_deep_link(lti_platform, lti_connection, lti_client, lti_course):
    refused = _open_picker(lti_platform, lti_client, roles=(LEARNER,))
    assert refused.status_code == 403
    assert lti_course.title not in refused.content.decode()
    assert lti_client.post(PICKER, {"training": [lti_course.pk]}).status_code == 403
    assert lti_client.get(PICKER).status_code == 403


def test_without_a_launch_the_picker_sends_you_back_to_your_course(client, lti_course):
    assert client.get(PICKER).status_code == 403
    assert client.post(PICKER, {"training": [lti_course.pk]}).status_code == 403

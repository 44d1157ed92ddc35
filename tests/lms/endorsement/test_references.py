"""Reference links: signed, expiring, single use, for the invited rater only; ratings per
competency area, voided by the lakes's count of "not enough information"; the learner
sees each rating's status, never its content."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.endorsement.models import ReferenceRequest, ReferenceStatus, RequirementSet
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import submit_application
from lms.endorsement.services.references import name_rater, replace_rater, resend_reference_link
from tests.factories import UserFactory
from tests.lms.endorsement.applying import link_token, rate, ready_application, sent_at_once, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(lakes):
    application, raters = ready_application(lakes, raters=1)
    return application, raters[0]


def form_data(application, rating="consistent"):
    return {f"area_{a.code}": rating for a in category_areas(category=application.category)}


def test_rater_gets_a_link_and_rates_every_area(client, invited):
    application, rater = invited
    message = mail.outbox[-1]
    assert message.to == [rater.email]
    assert "Not enough information" in message.body
    url = reverse("endorsement:reference", args=[link_token(rater.email)])
    client.force_login(rater)
    page = client.get(url)
    assert page.status_code == 200
    assert "Theoretical Foundations (TF)" in text(page)
    incomplete = client.post(url, {"area_TF": "strength"})
    assert incomplete.status_code == 400
    assert ReferenceRequest.objects.get().status == ReferenceStatus.INVITED

    done = client.post(url, {**form_data(application), "comment": "Thoughtful with families."})
    assert "Your rating was sent" in text(done)
    reference = ReferenceRequest.objects.get()
    assert reference.status == ReferenceStatus.RECEIVED
    assert reference.responded_by == rater
    assert reference.ratings.count() == len(category_areas(category=application.category))


def test_a_used_link_cannot_be_used_again(client, invited):
    application, rater = invited
    url = reverse("endorsement:reference", args=[link_token(rater.email)])
    client.force_login(rater)
    client.post(url, form_data(application))
    again = client.post(url, form_data(application, "strength"))
    assert again.status_code == 410
    assert "already been used" in text(again)
    assert set(ReferenceRequest.objects.get().ratings.values_list("rating", flat=True)) == {
        "consistent"
    }


def test_an_expired_link_is_refused(client, invited, settings):
    _, rater = invited
    token = link_token(rater.email)
    ReferenceRequest.objects.update(invited_at=timezone.now() - datetime.timedelta(days=30))
    settings.ATTUNE_REFERENCE_LINK_DAYS = 0
    client.force_login(rater)
    response = client.get(reverse("endorsement:reference", args=[token]))
    assert response.status_code == 410
    assert "expired" in text(response)


def test_a_link_opened_by_someone_else_is_refused(client, invited):
    application, rater = invited
    url = reverse("endorsement:reference", args=[link_token(rater.email)])
    client.force_login(UserFactory())
    response = client.post(url, form_data(application))
    assert response.status_code == 403
    assert "sent to another person" in text(response)
    client.force_login(application.learner)
    assert client.get(url).status_code == 403
    assert ReferenceRequest.objects.get().status == ReferenceStatus.INVITED
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]


def test_a_forged_or_replaced_link_is_refused(client, invited):
    application, rater = invited
    old = link_token(rater.email)
    client.force_login(rater)
    forged = old[:-3] + ("abc" if not old.endswith("abc") else "xyz")
    assert client.get(reverse("endorsement:reference", args=[forged])).status_code == 410
    with sent_at_once():
        resend_reference_link(
            application=application,
            learner=application.learner,
            reference_id=ReferenceRequest.objects.get().pk,
        )
    new = link_token(rater.email)
    assert new != old
    assert client.get(reverse("endorsement:reference", args=[old])).status_code == 410
    assert client.get(reverse("endorsement:reference", args=[new])).status_code == 200


def test_too_many_not_enough_information_answers_void_the_rating(lakes):
    RequirementSet.objects.filter(association=lakes).update(void_rating_at_nei=3)
    application, raters = ready_application(lakes, raters=2)
    kept = rate(application, raters[0], not_enough=2)
    voided = rate(application, raters[1], not_enough=3)
    assert kept.status == ReferenceStatus.RECEIVED
    assert voided.status == ReferenceStatus.VOID and voided.not_enough_information == 3
    assert "could not be used" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [application.learner.email]


def test_learner_sees_status_never_content(client, lakes):
    application, raters = ready_application(lakes, raters=2)
    rate(application, raters[0])
    client.force_login(application.learner)
    page = text(
        client.get(reverse("endorsement:application", args=[application.pk]) + "?step=references")
    )
    assert "Received" in page and "Waiting for the rater" in page
    assert "Strong practice." not in page
    assert "Consistently demonstrated" not in page


def test_learner_cannot_name_themselves_twice_the_same_rater_or_too_many(lakes):
    application, raters = ready_application(lakes, raters=3)
    learner = application.learner
    with pytest.raises(Exception, match="rate yourself"):
        name_rater(
            application=application,
            learner=learner,
            name="Me",
            email=learner.email.upper(),
            relationship="colleague",
        )
    with pytest.raises(Exception, match="raters already"):
        name_rater(
            application=application,
            learner=learner,
            name="Fourth",
            email="fourth@attune.test",
            relationship="colleague",
        )
    reference = application.references.first()
    replace_rater(application=application, learner=learner, reference_id=reference.pk)
    with pytest.raises(Exception, match="already named this rater"):
        name_rater(
            application=application,
            learner=learner,
            name="Again",
            email=raters[1].email,
            relationship="colleague",
        )
    name_rater(
        application=application,
        learner=learner,
        name="Fourth",
        email="fourth@attune.test",
        relationship="colleague",
    )
    assert application.references.exclude(status="replaced").count() == 3


def test_the_rules_can_require_the_current_supervisor_as_rater(lakes):
    RequirementSet.objects.filter(association=lakes).update(supervisor_rater_required=True)
    application, _ = ready_application(lakes)
    with pytest.raises(Exception, match="must be your current supervisor"):
        submit_application(application=application, learner=application.learner)

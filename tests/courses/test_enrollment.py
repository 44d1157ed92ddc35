"""Enrollment: self, access code, center seat, event registration with a waitlist."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import AccessCode, Enrollment, EnrollmentStatus
from courses.services import enrollment as services
from tests.courses.factories import site_path, training
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}


@pytest.fixture
def course(great_lakes):
    return training(great_lakes, "Attachment across the first year")


def test_self_enrollment_is_once(course):
    learner = UserFactory()
    first = services.enroll(learner=learner, training=course)
    assert services.enroll(learner=learner, training=course) == first
    assert first.status == EnrollmentStatus.ACTIVE and first.source == "self"


def test_the_database_refuses_two_current_enrollments(course):
    learner = UserFactory()
    services.enroll(learner=learner, training=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(learner=learner, training=course, source="self")


def test_unenroll_then_enroll_again(course):
    learner = UserFactory()
    first = services.enroll(learner=learner, training=course)
    services.unenroll(learner=learner, training=course)
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.CANCELLED
    again = services.enroll(learner=learner, training=course)
    assert again.pk != first.pk and again.status == EnrollmentStatus.ACTIVE


def test_a_closed_training_needs_a_code_and_codes_are_checked(course, great_lakes):
    course.open_enrollment = False
    course.save_revision().publish()
    learner = UserFactory()
    with pytest.raises(services.EnrollmentError, match="access code"):
        services.enroll(learner=learner, training=course)
    AccessCode.objects.create(
        organization=great_lakes, training=course, code="SPRING-26", max_uses=1
    )
    AccessCode.objects.create(
        organization=great_lakes,
        training=course,
        code="OLD-25",
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(services.EnrollmentError, match="not valid"):
        services.enroll_with_code(learner=learner, code="old-25")
    with pytest.raises(services.EnrollmentError, match="not valid"):
        services.enroll_with_code(learner=learner, code="nope")
    enrollment = services.enroll_with_code(learner=learner, code=" spring-26 ")
    assert enrollment.source == "access_code" and enrollment.access_code.code == "SPRING-26"
    with pytest.raises(services.EnrollmentError, match="used up"):
        services.enroll_with_code(learner=UserFactory(), code="SPRING-26")


def test_center_seat_hook(course):
    learner = UserFactory()
    enrollment = services.enroll_by_seat(learner=learner, training=course, seat_ref="seat:42")
    assert enrollment.source == "seat" and enrollment.seat_ref == "seat:42"
    # A closed training still takes a seat: the center decided.
    course.open_enrollment = False
    course.save_revision().publish()
    other = services.enroll_by_seat(learner=UserFactory(), training=course, seat_ref="seat:43")
    assert other.status == EnrollmentStatus.ACTIVE


def test_drafts_cannot_be_enrolled_in(great_lakes):
    draft = training(great_lakes, "Not yet", publish=False)
    with pytest.raises(services.EnrollmentError, match="not open"):
        services.enroll(learner=UserFactory(), training=draft)


@pytest.fixture
def event(great_lakes):
    return training(great_lakes, "Spring gathering", kind="event", capacity=2)


def test_event_capacity_waitlist_and_promotion(event):
    a, b, c, d = (UserFactory() for _ in range(4))
    seat_a = services.register_for_event(learner=a, event=event)
    services.register_for_event(learner=b, event=event)
    wait_c = services.register_for_event(learner=c, event=event)
    wait_d = services.register_for_event(learner=d, event=event)
    assert seat_a.source == "registration"
    assert [wait_c.status, wait_d.status] == ["waitlisted", "waitlisted"]

    services.cancel_enrollment(enrollment=seat_a)
    wait_c.refresh_from_db()
    wait_d.refresh_from_db()
    assert wait_c.status == "active" and wait_d.status == "waitlisted"
    # Leaving the waitlist frees no seat.
    services.cancel_enrollment(enrollment=wait_d)
    assert Enrollment.objects.filter(training=event, status="active").count() == 2
    with pytest.raises(services.EnrollmentError):
        services.cancel_enrollment(enrollment=seat_a)


def test_a_started_event_takes_no_registrations(great_lakes):
    started = training(
        great_lakes,
        "Already on",
        kind="event",
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with pytest.raises(services.EnrollmentError, match="already started"):
        services.register_for_event(learner=UserFactory(), event=started)


def test_enroll_button_and_anonymous_redirect(client, course):
    url = f"/learning/trainings/{course.pk}/enrollment/"
    response = client.post(url, {"action": "enroll"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    learner = UserFactory()
    client.force_login(learner)
    page = client.get(site_path(course), **HOST).content.decode()
    assert ">Enroll</button>" in page
    client.post(url, {"action": "enroll"})
    client.post(url, {"action": "enroll"})  # a double click
    assert Enrollment.objects.filter(learner=learner, status="active").count() == 1
    page = client.get(site_path(course), **HOST).content.decode()
    assert "Cancel my enrollment" in page
    client.post(url, {"action": "unenroll"})
    assert not Enrollment.objects.filter(learner=learner, status="active").exists()


def test_access_code_page(client, course, great_lakes):
    course.open_enrollment = False
    course.save_revision().publish()
    AccessCode.objects.create(organization=great_lakes, training=course, code="CUES")
    client.force_login(UserFactory())
    response = client.post("/learning/code/", {"code": "wrong"})
    assert "That access code is not valid." in response.content.decode()
    response = client.post("/learning/code/", {"code": "cues"})
    assert response.status_code == 302
    assert Enrollment.objects.filter(training=course, source="access_code").exists()

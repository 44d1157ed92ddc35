"""Seats: assignment enrolls, release gives the seat back, and a contract is never
over-assigned, even under concurrent requests."""

import datetime
import threading
from html import unescape

import pytest
from django.db import IntegrityError, connection, transaction

from centers.services import assign_seats, release_seat, remove_staff
from centers.values import SeatRefused
from courses.models import Enrollment, EnrollmentSource, EnrollmentStatus
from lms.organizations.models import Contract, ContractTraining, SeatAssignment, SeatStatus
from tests.centers.builders import (
    TODAY,
    center_with_manager,
    contract,
    finish,
    line,
    staff,
)
from tests.courses.factories import training


@pytest.fixture
def setup(great_lakes, course):
    center, manager = center_with_manager()
    made = contract(great_lakes, center, [course], seats=2)
    return center, manager, made


def test_assigning_a_seat_enrolls_the_person_on_it(setup, course):
    center, manager, made = setup
    person = staff(center, "ana@sunrise.test")
    [seat] = assign_seats(contract_training=line(made, course), staff=[person], by=manager)
    enrollment = Enrollment.objects.get(learner=person.user, training_id=course.pk)
    assert enrollment.source == EnrollmentSource.SEAT
    assert enrollment.seat_ref == seat.seat_ref
    made.refresh_from_db()
    assert made.seats_used == 1


def test_assignment_is_all_or_nothing_when_seats_run_short(setup, course):
    center, manager, made = setup
    people = [staff(center, f"p{i}@sunrise.test") for i in range(3)]
    with pytest.raises(SeatRefused, match="Only 2 seats left"):
        assign_seats(contract_training=line(made, course), staff=people, by=manager)
    made.refresh_from_db()
    assert made.seats_used == 0
    assert not SeatAssignment.objects.exists()
    assert not Enrollment.objects.filter(training_id=course.pk).exists()


def test_refusals_change_nothing(setup, course, great_lakes):
    center, manager, made = setup
    person = staff(center, "ana@sunrise.test")
    assign_seats(contract_training=line(made, course), staff=[person], by=manager)
    with pytest.raises(SeatRefused, match="Already holding a seat"):
        assign_seats(contract_training=line(made, course), staff=[person], by=manager)

    other_center, _ = center_with_manager("other", "Other Center")
    outsider = staff(other_center, "out@other.test")
    with pytest.raises(SeatRefused, match="roster"):
        assign_seats(contract_training=line(made, course), staff=[outsider], by=manager)

    # Someone already enrolled by themselves needs no seat.
    webinar = training(great_lakes, "Self-paced webinar", kind="webinar", require_evaluation=False)
    ContractTraining.objects.create(contract=made, training=webinar)
    keen = staff(center, "keen@sunrise.test")
    from courses.services.enrollment import enroll

    enroll(learner=keen.user, training=webinar)
    with pytest.raises(SeatRefused, match="already enrolled"):
        assign_seats(contract_training=line(made, webinar), staff=[keen], by=manager)

    made.refresh_from_db()
    assert made.seats_used == 1
    assert SeatAssignment.objects.count() == 1


@pytest.mark.parametrize("change", ["draft", "ended", "not_started", "past"])
def test_only_an_open_contract_takes_assignments(setup, course, change):
    center, manager, made = setup
    if change in ("draft", "ended"):
        made.status = change
    elif change == "not_started":
        made.starts_on = TODAY() + datetime.timedelta(days=1)
    else:
        made.starts_on, made.ends_on = (
            datetime.date(2020, 1, 1),
            TODAY() - datetime.timedelta(days=1),
        )
    made.save()
    person = staff(center, "ana@sunrise.test")
    with pytest.raises(SeatRefused, match="not open"):
        assign_seats(contract_training=line(made, course), staff=[person], by=manager)


def test_release_cancels_the_enrollment_and_frees_the_seat(setup, course):
    center, manager, made = setup
    person = staff(center, "ana@sunrise.test")
    [seat] = assign_seats(contract_training=line(made, course), staff=[person], by=manager)
    release_seat(seat=seat, by=manager)
    seat.refresh_from_db()
    made.refresh_from_db()
    assert seat.status == SeatStatus.RELEASED and seat.released_by == manager
    assert made.seats_used == 0
    assert Enrollment.objects.get(learner=person.user).status == EnrollmentStatus.CANCELLED
    with pytest.raises(SeatRefused, match="already been released"):
        release_seat(seat=seat, by=manager)
    # The seat can be given again, to the same person.
    assign_seats(contract_training=line(made, course), staff=[person], by=manager)


def test_a_completed_training_keeps_its_seat(setup, course):
    center, manager, made = setup
    person = staff(center, "ana@sunrise.test")
    [seat] = assign_seats(contract_training=line(made, course), staff=[person], by=manager)
    assert finish(person.user, course).status == EnrollmentStatus.COMPLETED
    with pytest.raises(SeatRefused, match="completed this training"):
        release_seat(seat=seat, by=manager)
    # Removing the person keeps the used seat; their record stays theirs.
    remove_staff(staff=person, by=manager)
    seat.refresh_from_db()
    made.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED and made.seats_used == 1
    assert person.user.training_records.count() == 1


def test_the_database_refuses_an_over_assignment(setup):
    _, _, made = setup
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=made.pk).update(seats_used=made.seat_count + 1)


def test_an_admin_edit_never_writes_back_a_stale_seat_count(setup, course):
    center, manager, made = setup
    stale = Contract.objects.get(pk=made.pk)
    person = staff(center, "ana@sunrise.test")
    assign_seats(contract_training=line(made, course), staff=[person], by=manager)
    stale.notes = "Renewed for spring."
    stale.save()
    made.refresh_from_db()
    assert made.seats_used == 1 and made.notes == "Renewed for spring."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_assignments_for_five_free_seats_end_with_exactly_five(framework):
    """20 threads, each on its own connection, ask for a seat at once; the contract's row
    lock (SQLite: the IMMEDIATE write lock) lets exactly 5 through."""
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association

    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    course = training(lakes, "Reading a baby's cues", require_evaluation=False)
    center, manager = center_with_manager()
    made = contract(lakes, center, [course], seats=5)
    people = [staff(center, f"p{i}@sunrise.test", joined=False) for i in range(20)]
    target = line(made, course)

    barrier = threading.Barrier(len(people))
    outcomes, errors = [], []

    def ask(person):
        try:
            barrier.wait(timeout=30)
            assign_seats(contract_training=target, staff=[person], by=manager)
            outcomes.append("seat")
        except SeatRefused:
            outcomes.append("refused")
        except Exception as error:  # anything else is a failure of the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert outcomes.count("seat") == 5 and outcomes.count("refused") == 15
    made.refresh_from_db()
    assert made.seats_used == 5
    assert SeatAssignment.objects.filter(contract=made, status=SeatStatus.ASSIGNED).count() == 5
    assert (
        Enrollment.objects.filter(training_id=course.pk, source=EnrollmentSource.SEAT).count() == 5
    )


# ---------------------------------------------------------------------------------------------
# The seats page: one meter per contract, a visible Release with a confirmation


def test_the_seats_page_shows_one_meter_per_contract_and_releases_on_confirmation(
    client, setup, course, great_lakes
):
    center, manager, made = setup
    second = training(great_lakes, "Observing with curiosity", require_evaluation=False)
    ContractTraining.objects.create(contract=made, training=second, sort_order=1)
    ana = staff(center, "ana@sunrise.test", name="Ana Ortiz")
    [seat] = assign_seats(contract_training=line(made, course), staff=[ana], by=manager)
    client.force_login(manager)

    html = unescape(client.get("/centers/sunrise/seats/").content.decode())
    assert html.count("<meter ") == 1  # one pool for the contract's two trainings
    assert f'<meter id="seat-meter-{made.pk}" min="0" max="2" value="1"' in html
    assert "Seats used 1 of 2" in html and "1 seat free" in html
    release = html[html.index(f'data-seat="{seat.pk}"') :]
    release = release[: release.index("</li>")]
    assert 'class="button button-secondary button-small">Release' in release
    assert 'method="post"' in release and "csrfmiddlewaretoken" in release
    assert "Give Ana Ortiz's seat in “Reading a baby's cues” back to the contract?" in release

    response = client.post(f"/centers/sunrise/seats/{seat.pk}/release/")
    assert response.status_code == 302 and response["Location"] == "/centers/sunrise/seats/"
    html = client.get("/centers/sunrise/seats/").content.decode()
    assert 'max="2" value="0"' in html and "Seats used 0 of 2" in html
    seat.refresh_from_db()
    assert seat.status == SeatStatus.RELEASED


def test_a_release_refused_or_of_another_center_changes_nothing(client, setup, course):
    center, manager, made = setup
    ana = staff(center, "ana@sunrise.test")
    [seat] = assign_seats(contract_training=line(made, course), staff=[ana], by=manager)
    _other, other_manager = center_with_manager(slug="elsewhere", name="Elsewhere Center")
    client.force_login(other_manager)
    assert client.post(f"/centers/elsewhere/seats/{seat.pk}/release/").status_code == 404
    assert client.post(f"/centers/sunrise/seats/{seat.pk}/release/").status_code == 404
    client.force_login(manager)
    assert client.get(f"/centers/sunrise/seats/{seat.pk}/release/").status_code == 405
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED

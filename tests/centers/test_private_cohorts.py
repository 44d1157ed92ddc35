"""Private cohorts: a training built for one center's staff, with live sessions scheduled for
them, that nobody else sees or enrolls in, and that its staff take only on the center's seats."""

import pytest

from centers.services import assign_seats
from courses.models import Enrollment, EnrollmentSource, EnrollmentStatus, LessonPage
from lms.organizations.models import Role
from tests.centers.builders import center_with_manager, contract, line, staff
from tests.courses.factories import member, site_path, training
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}


@pytest.fixture
def cohort(great_lakes, prairie, course):
    """Sunrise's contract: the catalog course, a private course with a lesson and a private
    live session; Northside has a manager and staff of its own."""
    center, manager = center_with_manager()
    private_course = training(great_lakes, "Sunrise home visitors' foundations")
    lesson = private_course.add_child(
        instance=LessonPage(title="Your first visits", slug="first-visits")
    )
    lesson.save_revision().publish()
    session = training(great_lakes, "Sunrise reflective practice circle", kind="event")
    made = contract(
        great_lakes, center, [course, private_course, session], private=(private_course, session)
    )
    northside, northside_manager = center_with_manager("northside", "Northside Clinic")
    return {
        "center": center,
        "manager": manager,
        "contract": made,
        "private_course": private_course,
        "lesson": lesson,
        "session": session,
        "sam": staff(center, "sam@sunrise.test", name="Sam Staff"),
        "outsiders": {
            "anonymous": None,
            "learner": UserFactory(),
            "other center's manager": northside_manager,
            "other center's staff": staff(northside, "nora@northside.test").user,
            "other association's editor": member(prairie, Role.EDITOR),
        },
    }


PRIVATE_TITLES = ("Sunrise home visitors", "Sunrise reflective practice circle")


def catalog_html(client, user) -> str:
    client.logout()  # signing out ends every session of the person: their epoch moves on
    if user is not None:
        user.refresh_from_db()
        client.force_login(user)
    return client.get("/catalog/", **HOST).content.decode()


def test_outsiders_neither_see_nor_reach_a_private_cohort(client, cohort, course):
    for who, user in cohort["outsiders"].items():
        html = catalog_html(client, user)
        assert course.title.replace("'", "&#x27;") in html, who
        assert not any(title in html for title in PRIVATE_TITLES), who
        for page in (cohort["private_course"], cohort["lesson"], cohort["session"]):
            assert client.get(site_path(page), **HOST).status_code == 404, (who, page.title)


@pytest.mark.parametrize("who", ["sam", "manager"])
def test_the_centers_staff_and_managers_see_it(client, cohort, who):
    html = catalog_html(client, cohort[who].user if who == "sam" else cohort[who])
    assert all(title in html for title in PRIVATE_TITLES)
    for page in (cohort["private_course"], cohort["lesson"], cohort["session"]):
        assert client.get(site_path(page), **HOST).status_code == 200, page.title


def test_the_association_that_built_it_sees_it(client, cohort, great_lakes):
    html = catalog_html(client, member(great_lakes, Role.EDITOR))
    assert all(title in html for title in PRIVATE_TITLES)


def test_nobody_enrolls_in_a_private_cohort_without_a_seat(client, cohort):
    sam = cohort["sam"].user
    learner = cohort["outsiders"]["learner"]
    for user in (sam, learner):
        client.force_login(user)
        for page in (cohort["private_course"], cohort["session"]):
            response = client.post(
                f"/learning/trainings/{page.pk}/enrollment/", {"action": "enroll"}, follow=True
            )
            assert response.status_code in (200, 404)
    assert not Enrollment.objects.exists()


def test_a_seat_enrolls_the_centers_staff_and_registers_them_for_the_session(client, cohort):
    made, sam = cohort["contract"], cohort["sam"]
    for page in (cohort["private_course"], cohort["session"]):
        assign_seats(contract_training=line(made, page), staff=[sam], by=cohort["manager"])
    enrollments = Enrollment.objects.filter(learner=sam.user)
    assert {(e.training_id, e.status, e.source) for e in enrollments} == {
        (cohort["private_course"].pk, EnrollmentStatus.ACTIVE, EnrollmentSource.SEAT),
        (cohort["session"].pk, EnrollmentStatus.ACTIVE, EnrollmentSource.SEAT),
    }


def test_the_manager_sees_the_sessions_scheduled_for_the_center(client, cohort):
    client.force_login(cohort["manager"])
    html = client.get("/centers/sunrise/contracts/").content.decode()
    session = cohort["session"]
    start = html.index("Sunrise reflective practice circle")
    row = html[start : html.index("</tr>", start)]
    assert "Live event" in row and "Private to Sunrise Family Services" in row
    assert f"{session.starts_at:%Y}" in row and "Any time" not in row


def test_the_cached_catalog_never_shows_one_visitor_what_another_may_see(client, cohort):
    """The rendered catalog is cached per set of hidden trainings: staff first, then an
    outsider, then staff again, all from one cache."""
    assert all(title in catalog_html(client, cohort["sam"].user) for title in PRIVATE_TITLES)
    outsider = catalog_html(client, cohort["outsiders"]["learner"])
    assert not any(title in outsider for title in PRIVATE_TITLES)
    assert not any(title in catalog_html(client, None) for title in PRIVATE_TITLES)
    assert all(title in catalog_html(client, cohort["manager"]) for title in PRIVATE_TITLES)

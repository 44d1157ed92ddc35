"""A faculty institute's page on its module library: which courses and associations embed
each module, and how many learners completed those courses."""

import pytest

from centers.services import assign_seats
from courses.models import Enrollment, LessonPage
from courses.services.progress import mark_lesson_done
from lms.organizations.models import Role
from tests.centers.builders import center_with_manager, contract, finish, line, staff
from tests.courses.factories import institute, library_module, member, training


def embed(course, module, title):
    lesson = course.add_child(
        instance=LessonPage(title=title, slug=title.lower().replace(" ", "-"))
    )
    lesson.body = [("module", module)]
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def riverbend(great_lakes, prairie, course):
    """Riverbend's "Serve and return" is embedded by a Great Lakes course (finished by two
    learners) and a Prairie course; its "Observing" module by nobody yet."""
    riverbend = institute()
    module = library_module(riverbend, shared_with=[great_lakes, prairie])
    library_module(riverbend, "Observing with curiosity", shared_with=[great_lakes])
    home_lesson = embed(course, module, "Serve and return at home")
    embed(training(prairie, "Everyday moments in preschool"), module, "Serve and return in class")
    center, manager = center_with_manager()
    made = contract(great_lakes, center, [course])
    people = [staff(center, f"p{i}@sunrise.test") for i in range(3)]
    assign_seats(contract_training=line(made, course), staff=people, by=manager)
    for person in people[:2]:
        enrollment = Enrollment.objects.get(learner=person.user, training_id=course.pk)
        mark_lesson_done(enrollment=enrollment, lesson=home_lesson)
        finish(person.user, course)
    return riverbend


def test_the_institute_sees_where_each_module_is_used_and_completions(client, riverbend):
    client.force_login(member(riverbend, Role.EDITOR))
    response = client.get(f"/institutes/{riverbend.slug}/library/")
    assert response.status_code == 200
    modules = {m.module_title: m for m in response.context["modules"]}
    used = modules["Serve and return"]
    assert set(used.uses) == {
        ("Reading a baby's cues", "Serve and return at home", "Great Lakes Association"),
        (
            "Everyday moments in preschool",
            "Serve and return in class",
            "Prairie Association",
        ),
    }
    assert used.completions == 2
    assert modules["Observing with curiosity"].uses == ()
    assert modules["Observing with curiosity"].completions == 0
    html = response.content.decode()
    assert "Embedded in 2 lessons · 2 completions of courses that embed it" in html
    assert "Prairie Association" in html


def test_the_page_is_only_for_the_institutes_authors(client, riverbend, great_lakes):
    other = institute("lakeshore")
    for user in (
        member(other, Role.EDITOR),
        member(great_lakes, Role.ADMIN),
        center_with_manager("northside")[1],
    ):
        client.force_login(user)
        assert client.get(f"/institutes/{riverbend.slug}/library/").status_code == 404
    client.logout()
    assert client.get(f"/institutes/{riverbend.slug}/library/").status_code == 302


def test_the_page_runs_a_fixed_number_of_queries(
    client, riverbend, great_lakes, prairie, django_assert_max_num_queries
):
    client.force_login(member(riverbend, Role.EDITOR))
    with django_assert_max_num_queries(30) as small:
        client.get(f"/institutes/{riverbend.slug}/library/")
    for i in range(3):
        module = library_module(riverbend, f"Module {i}", shared_with=[great_lakes, prairie])
        for org in (great_lakes, prairie):
            embed(training(org, f"{org.name} course {i}"), module, f"Lesson {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/institutes/{riverbend.slug}/library/")
    assert len(response.context["modules"]) == 5
    assert all(len(m.uses) == 2 for m in response.context["modules"] if "Module" in m.module_title)

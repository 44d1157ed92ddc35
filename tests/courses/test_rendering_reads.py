"""Rendering a page reads only: an enrolled learner's course, lesson, webinar, event and
evaluation pages, and My learning, write no row of ours (sessions aside)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonPage, LessonProgress, WatchProgress
from courses.services.enrollment import enroll
from tests.courses.factories import site_path, training
from tests.courses.learning import quiz, recording, webinar
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in q["sql"]
    ]


def test_an_enrolled_learners_pages_write_nothing(client, great_lakes):
    rec = recording(great_lakes)
    course = training(great_lakes, "Cues")
    lesson = course.add_child(
        instance=LessonPage(title="Watch", slug="watch", body=[("recording", rec)])
    )
    lesson.save_revision().publish()
    on_demand = webinar(great_lakes, recording(great_lakes, title="Co-regulation"))
    event = training(great_lakes, "Gathering", kind="event", delivery_format="in_person")
    learner = UserFactory()
    for page in (course, on_demand, event):
        enroll(learner=learner, training=page)
    client.force_login(learner)
    pages = [site_path(p) for p in (course, lesson, on_demand, event)]
    others = [reverse("learning:mine"), reverse("learning:evaluation", args=[on_demand.pk])]
    with CaptureQueriesContext(connection) as queries:
        for path in pages:
            assert client.get(path, **HOST).status_code == 200
        for path in others:
            assert client.get(path).status_code == 200
    assert writes(queries.captured_queries) == []
    assert not WatchProgress.objects.exists() and not LessonProgress.objects.exists()


def measured(client, path, assert_max, limit) -> str:
    """The page's HTML, asserting the second of two requests (the host's brand and catalog
    link are cached by the first) reads at most ``limit`` times."""
    assert client.get(path, **HOST).status_code == 200
    with assert_max(limit):
        response = client.get(path, **HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_the_player_page_reads_each_thing_once(client, great_lakes, django_assert_max_num_queries):
    """An enrolled learner's webinar with a recording and a post-test: the panel, its
    checklist and tracker, and the player's access check share their reads (was 43)."""
    quiz(great_lakes)
    page = webinar(great_lakes, recording(great_lakes), quiz_slug="cues-post-test")
    path = site_path(page)

    html = measured(client, path, django_assert_max_num_queries, 16)  # a visitor (was 19)
    assert "data-attune-player" not in html and "Sign in</a> to watch" in html

    client.force_login(UserFactory())
    html = measured(
        client, path, django_assert_max_num_queries, 24
    )  # not enrolled (31; +1 credit offered)
    assert "data-attune-player" not in html and "plays for participants" in html

    learner = UserFactory()
    enroll(learner=learner, training=page)
    client.force_login(learner)
    with CaptureQueriesContext(connection) as queries:
        html = measured(client, path, django_assert_max_num_queries, 27)  # +1: the credit offered
    assert "data-attune-watch" in html and 'data-rule="post_test"' in html
    assert "plays for participants" not in html and "is being processed" in html
    sql = [q["sql"] for q in queries.captured_queries]
    repeated = {s for s in sql if sql.count(s) > 2}  # each of the two requests reads once
    assert not repeated


def test_a_course_page_reads_its_lessons_once(client, great_lakes, django_assert_max_num_queries):
    course = training(great_lakes, "Cues")
    for i in range(3):
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Part {i}", slug=f"part-{i}", body=[("recording", recording(great_lakes))]
            )
        )
        lesson.save_revision().publish()
    learner = UserFactory()
    enroll(learner=learner, training=course)
    client.force_login(learner)
    # Was 37 with three lessons, and grew with each lesson's recordings.
    html = measured(
        client, site_path(course), django_assert_max_num_queries, 25
    )  # +1: the credit offered
    # Three lessons and the evaluation, in the outline.
    assert html.count('class="status status-not_started"') == 4 and 'data-rule="watch"' in html
    # A lesson with its player (was 38).
    html = measured(client, site_path(lesson), django_assert_max_num_queries, 22)
    assert "data-attune-watch" in html


def add_lessons(course, org, start, stop):
    for i in range(start, stop):
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Part {i}", slug=f"part-{i}", body=[("recording", recording(org))]
            )
        )
        lesson.save_revision().publish()
    return lesson


@pytest.mark.usefixtures("no_search_index")
def test_a_course_page_reads_the_same_for_ten_and_a_hundred_and_fifty_lessons(
    client, great_lakes, django_assert_max_num_queries
):
    """The enrolled learner's course page (outline, checklist, current lesson) and a lesson
    page (previous/next, Complete and continue): as many queries with 150 lessons as 10."""
    course = training(great_lakes, "Cues")
    last = add_lessons(course, great_lakes, 0, 10)
    learner = UserFactory()
    enroll(learner=learner, training=course)
    client.force_login(learner)
    html = measured(
        client, site_path(course), django_assert_max_num_queries, 25
    )  # +1: the credit offered
    assert html.count("outline-item state-not_started") == 11  # ten lessons, the evaluation
    assert "Your current lesson" in html and "Part 0" in html
    course_ten = client.get(site_path(course), **HOST)  # noqa: F841 - warm
    with CaptureQueriesContext(connection) as ten:
        client.get(site_path(course), **HOST)
    with CaptureQueriesContext(connection) as ten_lesson:
        client.get(site_path(last), **HOST)
    counts = len(ten.captured_queries), len(ten_lesson.captured_queries)

    add_lessons(course, great_lakes, 10, 150)
    html = measured(client, site_path(course), django_assert_max_num_queries, counts[0])
    assert html.count("outline-item state-not_started") == 151
    html = measured(client, site_path(last), django_assert_max_num_queries, counts[1])
    assert "Complete and continue" in html and "Previous lesson" in html
    print(f"Course page: {counts[0]} queries, lesson page {counts[1]}, for 10 and 150 lessons")

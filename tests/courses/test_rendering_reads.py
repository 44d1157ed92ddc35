"""Rendering a page reads only: an enrolled learner's course, lesson, webinar, event and
evaluation pages, and My learning, write no row of ours (sessions aside)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonPage, LessonProgress, WatchProgress
from courses.services.enrollment import enroll
from tests.courses.factories import site_path, training
from tests.courses.learning import recording, webinar
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

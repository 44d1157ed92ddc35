"""My learning, calendar files, reports for associations, and who may watch a recording."""

import csv
import io

import pytest

from courses import recording_access
from courses.models import Enrollment
from courses.services.completion import evaluate_completion
from courses.services.enrollment import enroll, register_for_event
from courses.services.evaluation import standard_survey, submit_evaluation
from courses.services.quizzes import start_attempt, submit_attempt
from lms.organizations.models import Role
from tests.courses.factories import association, member, training
from tests.courses.learning import correct_answers, quiz, recording, webinar
from tests.factories import UserFactory


def finish(learner, page, *, rating=5, comment=""):
    enrollment = enroll(learner=learner, training=page)
    survey = standard_survey()
    answers = {str(b.id): rating for b in survey.items if b.block_type == "likert"}
    text = next(b for b in survey.items if b.block_type == "text")
    if comment:
        answers[str(text.id)] = comment
    submit_evaluation(enrollment=enrollment, survey=survey, answers=answers, attested=True)
    return evaluate_completion(enrollment_id=enrollment.pk)


def learning_page(client, size, great_lakes):
    learner = UserFactory()
    for i in range(size):
        page = training(great_lakes, f"Course {size}-{i}", require_evaluation=False)
        enroll(learner=learner, training=page)
        event = training(great_lakes, f"Event {size}-{i}", kind="event")
        register_for_event(learner=learner, event=event)
    client.force_login(learner)
    return learner


def test_my_learning_sections_in_a_fixed_number_of_queries(
    client, great_lakes, django_assert_max_num_queries
):
    learner = learning_page(client, 2, great_lakes)
    done = webinar(great_lakes, title="Finished webinar", require_evaluation=False)
    finish(learner, done)
    html = client.get("/learning/").content.decode()
    assert "Course 2-0" in html and "Event 2-1" in html and "Finished webinar" in html
    assert html.index("Course 2-0") < html.index("Upcoming live events") < html.index("Event 2-0")
    assert "Certificate" in html and "calendar.ics" in html

    with django_assert_max_num_queries(12) as small:
        client.get("/learning/")
    first_count = len(small.captured_queries)
    learning_page(client, 6, great_lakes)
    client.get("/learning/")  # publishing moved the cached brand and catalog link on
    with django_assert_max_num_queries(first_count):
        client.get("/learning/")


def test_calendar_file(client, great_lakes):
    event = training(
        great_lakes, "Spring gathering; reflective practice", kind="event",
        meeting_url="https://meet.example.org/spring", venue_summary="Online",
    )  # fmt: skip
    response = client.get(f"/learning/events/{event.pk}/calendar.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "SUMMARY:Spring gathering\\; reflective practice" in body
    assert f"DTSTART:{event.starts_at:%Y%m%dT%H%M%SZ}" in body
    assert "LOCATION:Online" in body and "meet.example.org" not in body
    learner = UserFactory()
    register_for_event(learner=learner, event=event)
    client.force_login(learner)
    assert (
        "LOCATION:https://meet.example.org/spring"
        in client.get(f"/learning/events/{event.pk}/calendar.ics").content.decode()
    )
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_reports_are_scoped_and_summarise(client, great_lakes, django_assert_max_num_queries):
    the_quiz = quiz(great_lakes)
    page = webinar(great_lakes, quiz_slug=the_quiz.slug, require_watch=False)
    right = correct_answers(the_quiz)
    for i, rating in enumerate((5, 3)):
        learner = UserFactory()
        attempt = start_attempt(quiz=the_quiz, learner=learner)
        answers = dict(right)
        if i:  # the second learner misses two of five: 60%, not passed
            for qid in list(right)[:2]:
                answers[qid] = []
        submit_attempt(attempt=attempt, answers=answers)
        finish(learner, page, rating=rating, comment=f"Comment {i}")
    assert Enrollment.objects.filter(status="completed").count() == 1

    url = f"/learning/reports/{great_lakes.slug}/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(member(association("prairie"), Role.ADMIN))
    assert client.get(url).status_code == 403

    client.force_login(member(great_lakes, Role.EDITOR))
    client.get(url)  # the site's brand and catalog link, then cached
    with django_assert_max_num_queries(18):
        html = client.get(url).content.decode()
    assert "Completions over time" in html and "Serve and return describes" in html
    assert "50.0% correct of 2 answers" in html
    assert "Average 4.0 of 5 from 2 ratings" in html and "Comment 1" in html

    rows = list(csv.reader(io.StringIO(client.get(url + "completions.csv").content.decode())))
    assert rows[0][:3] == ["completed_at", "learner_email", "learner_name"] and len(rows) == 2
    items = client.get(url + "items.csv").content.decode()
    assert "Serve and return describes…,2,1,50.0" in items
    evaluations = client.get(url + "evaluations.csv").content.decode()
    assert "Comment 0 | Comment 1" in evaluations


@pytest.fixture
def shown(great_lakes):
    rec = recording(great_lakes)
    return rec, webinar(great_lakes, rec)


def test_only_enrolled_learners_may_watch(shown):
    rec, page = shown
    learner = UserFactory()
    assert not recording_access.may_watch(user=learner, recording=rec)
    enrollment = enroll(learner=learner, training=page)
    assert recording_access.may_watch(user=learner, recording=rec)
    Enrollment.objects.filter(pk=enrollment.pk).update(status="cancelled")
    assert not recording_access.may_watch(user=learner, recording=rec)

"""My learning, calendar files, reports for associations, and who may watch a recording."""

import csv
import io

import pytest

from courses import recording_access
from courses.models import Enrollment, Quiz
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
    assert "Download certificate" in html and "calendar.ics" in html

    with django_assert_max_num_queries(20) as small:
        client.get("/learning/")
    first_count = len(small.captured_queries)
    learning_page(client, 6, great_lakes)
    client.get("/learning/")  # publishing moved the cached brand and catalog link on
    with django_assert_max_num_queries(first_count):
        client.get("/learning/")


def cards_for(client, learner, start, stop, org, rec, lesson_rec):
    """Enrollments ``start``..``stop`` of ``learner``: a webinar (a recording, a post-test), a
    course (a lesson with a recording) and a live event in turn, at every stage of progress."""
    from courses.models import LessonPage, LessonProgress, WatchProgress

    for i in range(start, stop):
        kind = ("webinar", "course", "event")[i % 3]
        if kind == "webinar":
            page = webinar(org, rec, title=f"Webinar {i}", quiz_slug="cues-post-test")
        elif kind == "course":
            page = training(org, f"Course {i}")
            lesson = page.add_child(
                instance=LessonPage(
                    title=f"Lesson {i}", slug="one", body=[("recording", lesson_rec)]
                )
            )
            lesson.save_revision().publish()
        else:
            page = training(org, f"Event {i}", kind="event")
        enrollment = enroll(learner=learner, training=page)
        if kind == "course":
            LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    WatchProgress.objects.get_or_create(
        learner=learner, recording=rec, defaults={"duration": 600, "position": 760.4}
    )


@pytest.mark.timeout(900)  # publishing 200 trainings takes a minute
@pytest.mark.usefixtures("no_search_index")
def test_my_learning_cards_read_the_same_for_ten_and_two_hundred(
    client, great_lakes, django_assert_max_num_queries
):
    """Cards with progress, hours per area and the next action: a fixed number of queries
    whether the learner has 10 enrollments or 200 (twenty times more than most learners
    hold, enough to show growth in queries)."""
    quiz(great_lakes)
    rec, lesson_rec = recording(great_lakes), recording(great_lakes, title="Lesson clip")
    learner = UserFactory()
    client.force_login(learner)
    cards_for(client, learner, 0, 10, great_lakes, rec, lesson_rec)
    client.get("/learning/")  # the host's brand and catalog link, then cached
    with django_assert_max_num_queries(40) as ten:
        html = client.get("/learning/").content.decode()
    for_ten = len(ten.captured_queries)
    assert html.count('class="card learning-card"') == 10
    # 12:40 into the webinar's recording; the course's lesson was opened; an event to add.
    assert "Resume at 12:40" in html and 'data-next-action="calendar"' in html
    assert 'TF</abbr> <span class="hours">1 h' in html and "0 of 3 steps done" in html
    cards_for(client, learner, 10, 200, great_lakes, rec, lesson_rec)
    client.get("/learning/")
    with django_assert_max_num_queries(for_ten):
        html = client.get("/learning/").content.decode()
    assert html.count('class="card learning-card"') == 200
    print(f"My learning: {for_ten} queries for 10 and for 200 enrollments")


def test_next_actions_follow_the_rules(client, great_lakes):
    from courses.models import WatchProgress

    quiz(great_lakes)
    rec = recording(great_lakes)
    page = webinar(great_lakes, rec, quiz_slug="cues-post-test")
    learner = UserFactory()
    enroll(learner=learner, training=page)
    client.force_login(learner)
    html = client.get("/learning/").content.decode()
    assert 'data-next-action="start"' in html
    WatchProgress.objects.create(
        learner=learner, recording=rec, duration=600, position=600, watched_seconds=600,
        ranges=[[0, 600]],
    )  # fmt: skip
    html = client.get("/learning/").content.decode()
    assert "Take the post-test" in html and "1 of 3 steps done" in html
    attempt = start_attempt(quiz=Quiz.objects.get(), learner=learner)
    submit_attempt(attempt=attempt, answers=correct_answers(Quiz.objects.get()))
    html = client.get("/learning/").content.decode()
    assert 'data-next-action="evaluate"' in html and "2 of 3 steps done" in html


def test_an_empty_my_learning_points_to_the_catalog(client, db):
    client.force_login(UserFactory())
    html = client.get("/learning/").content.decode()
    assert html.count('class="empty-state"') == 3 and "Browse the catalog" in html


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

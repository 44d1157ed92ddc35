"""Completion rules per training, the evaluation and attestation, and the record issued."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import (
    Enrollment,
    EvaluationResponse,
    LessonPage,
    LessonProgress,
    WatchProgress,
)
from courses.selectors.completion import completion_checks
from courses.services.completion import evaluate_completion
from courses.services.enrollment import enroll
from courses.services.evaluation import standard_survey, submit_evaluation
from courses.services.quizzes import start_attempt, submit_attempt
from lms.records.models import TrainingRecord
from tests.courses.factories import site_path, training
from tests.courses.learning import correct_answers, quiz, recording, webinar
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}


def watched(learner, rec, share=1.0):
    WatchProgress.objects.update_or_create(
        learner=learner,
        recording=rec,
        defaults={"duration": rec.duration, "watched_seconds": rec.duration * share,
                  "ranges": [[0, rec.duration * share]]},
    )  # fmt: skip


@pytest.fixture
def setup(great_lakes):
    rec = recording(great_lakes, duration=300.0)
    the_quiz = quiz(great_lakes)
    page = webinar(great_lakes, rec, quiz_slug=the_quiz.slug)
    learner = UserFactory()
    return {"rec": rec, "quiz": the_quiz, "page": page, "learner": learner,
            "enrollment": enroll(learner=learner, training=page)}  # fmt: skip


def rules(enrollment):
    return {c.key: c.met for c in completion_checks(enrollment=enrollment)}


def test_every_rule_must_hold_and_the_record_carries_the_snapshot(client, setup):
    learner, enrollment, page = setup["learner"], setup["enrollment"], setup["page"]
    assert rules(enrollment) == {"watch": False, "post_test": False, "evaluation": False}

    watched(learner, setup["rec"], share=0.94)
    evaluate_completion(enrollment_id=enrollment.pk)
    assert rules(enrollment)["watch"] is False
    watched(learner, setup["rec"], share=0.95)
    attempt = start_attempt(quiz=setup["quiz"], learner=learner)
    submit_attempt(attempt=attempt, answers=correct_answers(setup["quiz"]))
    assert rules(enrollment) == {"watch": True, "post_test": True, "evaluation": False}
    assert evaluate_completion(enrollment_id=enrollment.pk).status == "active"

    client.force_login(learner)
    url = f"/learning/trainings/{page.pk}/evaluation/"
    form = client.get(url).content.decode()
    assert "I completed this training myself" in form
    survey = standard_survey()
    answers = {f"item-{b.id}": "4" for b in survey.items if b.block_type == "likert"}
    # Without the attestation nothing is stored.
    response = client.post(url, answers)
    assert "Confirm that you completed this training yourself." in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    response = client.post(url, {**answers, "attested": "yes"})
    assert response.status_code == 302

    enrollment.refresh_from_db()
    record = TrainingRecord.objects.get(learner=learner)
    assert enrollment.status == "completed" and enrollment.record_id == record.pk
    assert record.duration_hours == page.contact_hours
    assert record.title == page.title and record.provider_name == page.provider.name
    assert record.delivery_format == "recorded_webinar"
    assert record.source_key == f"attune:training:{page.pk}"
    assert record.get_real_instance_class().__name__ == "PlatformCompletion"
    assert sorted(r.area.code for r in record.area_hours.all()) == ["DSS", "TF"]
    assert [f.name for f in record.facilitators.all()] == [page.facilitators()[0].name]

    html = client.get(site_path(page), **HOST).content.decode()
    assert "view your training record" in html and "certificate.pdf" in html
    # Running the rules again issues nothing new.
    evaluate_completion(enrollment_id=enrollment.pk)
    assert TrainingRecord.objects.filter(learner=learner).count() == 1


def test_the_editor_decides_which_rules_apply(great_lakes):
    rec = recording(great_lakes)
    page = webinar(
        great_lakes,
        rec,
        quiz_slug="cues-post-test",
        require_watch=False,
        require_post_test=False,
        require_evaluation=False,
    )
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=page)
    # Only the attestation is left; it completes the training.
    assert rules(enrollment) == {"evaluation": False}
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
    assert evaluate_completion(enrollment_id=enrollment.pk).status == "completed"


def test_a_coverage_share_set_by_the_training(great_lakes):
    rec = recording(great_lakes)
    page = webinar(great_lakes, rec, watch_coverage_percent=50, require_evaluation=False)
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=page)
    watched(learner, rec, share=0.5)
    assert rules(enrollment)["watch"] is True


def test_a_course_needs_every_lesson_done(client, great_lakes):
    course = training(great_lakes, "Attachment", require_evaluation=False)
    lessons = [
        course.add_child(instance=LessonPage(title=f"Lesson {i}", slug=f"lesson-{i}"))
        for i in (1, 2)
    ]
    for lesson in lessons:
        lesson.save_revision().publish()
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=course)
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
    client.force_login(learner)
    html = client.get(site_path(lessons[0]), **HOST).content.decode()
    # Showing a lesson reads only; what the learner does in it records progress.
    assert "Lesson status: <strong" in html and "Not started" in html
    assert not LessonProgress.objects.exists()
    client.post(f"/learning/lessons/{lessons[0].pk}/done/")
    assert Enrollment.objects.get().status == "active"
    course_html = client.get(site_path(course), **HOST).content.decode()
    assert "Resume where you left off" in course_html and "Not started" in course_html
    client.post(f"/learning/lessons/{lessons[1].pk}/done/")
    assert Enrollment.objects.get().status == "completed"
    # Someone not enrolled cannot mark lessons.
    client.force_login(UserFactory())
    assert client.post(f"/learning/lessons/{lessons[0].pk}/done/").status_code == 403


def test_a_lesson_with_a_recording_needs_it_watched(client, great_lakes):
    rec = recording(great_lakes)
    course = training(great_lakes, "Cues", require_evaluation=False)
    lesson = course.add_child(
        instance=LessonPage(title="Watch", slug="watch", body=[("recording", rec)])
    )
    lesson.save_revision().publish()
    learner = UserFactory()
    enroll(learner=learner, training=course)
    client.force_login(learner)
    client.post(f"/learning/lessons/{lesson.pk}/done/")
    assert not Enrollment.objects.get().lesson_progress.filter(status="done").exists()
    watched(learner, rec)
    client.post(f"/learning/lessons/{lesson.pk}/done/")
    assert Enrollment.objects.get().lesson_progress.filter(status="done").exists()


def test_a_training_that_cannot_be_recorded_keeps_progress(great_lakes, caplog):
    page = webinar(great_lakes, require_evaluation=False)
    learner = UserFactory()
    enrollment = enroll(learner=learner, training=page)
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
    # The training lost its hours after publishing: data an editor must fix.
    type(page).objects.filter(pk=page.pk).update(contact_hours=None)
    assert evaluate_completion(enrollment_id=enrollment.pk).status == "active"
    assert "Cannot issue the record" in caplog.text


def test_likert_answers_are_checked(client, setup):
    client.force_login(setup["learner"])
    url = f"/learning/trainings/{setup['page'].pk}/evaluation/"
    response = client.post(url, {"attested": "yes"})
    assert "Choose a rating." in response.content.decode()
    assert not EvaluationResponse.objects.exists()
    with pytest.raises(ValidationError):
        submit_evaluation(enrollment=setup["enrollment"], survey=None, answers={}, attested=False)

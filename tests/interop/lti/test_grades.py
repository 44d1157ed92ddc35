"""Assignment and Grade Services against a real platform: the record Attune issues reaches
the platform's grade book once, with the platform's user and the score; a platform that is
down gets it when it returns; the learner's request never waits on it."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Enrollment
from courses.services.completion import evaluate_completion
from courses.services.evaluation import submit_evaluation
from courses.services.quizzes import start_attempt, submit_attempt
from interop.lti import tasks
from interop.lti.models import GradeDelivery, PlacementLaunch
from interop.lti.services import grades
from interop.lti.services.targets import custom_parameters
from tests.courses.learning import correct_answers, quiz, webinar

pytestmark = pytest.mark.django_db

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def _launch(platform, client, target, user_id="canvas-user-1", **spec):
    answer = platform.launch(client, user_id=user_id, custom=target, **spec)
    assert answer.status_code == 302, answer.content[:500]
    return PlacementLaunch.objects.filter(lti_user__sub=user_id).latest("pk")


def _send_due():
    """What the worker does with the queued messages (the tasks' own code, run here)."""
    for pk in grades.due_deliveries():
        tasks.deliver_grade.run(pk)


def _complete(*, learner, training) -> Enrollment:
    """The learner finishes the training the way Attune completes any: its rules hold."""
    enrollment = Enrollment.objects.get(learner=learner, training=training)
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
    enrollment = evaluate_completion(enrollment_id=enrollment.pk)
    assert enrollment.status == "completed"
    return enrollment


def _completions(platform):
    return [s for s in platform.scores if s.get("activityProgress") == "Completed"]


def test_completion_reaches_the_grade_book_once_with_the_platforms_user(
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
    django_capture_on_commit_callbacks,
):
    trust_attune_keys(lti_client)
    with django_capture_on_commit_callbacks() as queued:
        launch = _launch(lti_platform, lti_client, lti_target)
    # The first launch owes a progress report, queued after commit, not sent in the request.
    assert len(queued) == 1
    assert lti_platform.scores == []
    _send_due()
    assert [s["activityProgress"] for s in lti_platform.scores] == ["InProgress"]
    assert "scoreGiven" not in lti_platform.scores[0]

    with django_capture_on_commit_callbacks() as queued:
        _complete(learner=launch.user, training=lti_course)
    assert len(queued) >= 1
    assert _completions(lti_platform) == []  # not sent inside the learner's request
    _send_due()
    [score] = _completions(lti_platform)
    assert score["userId"] == "canvas-user-1"
    assert score["scoreGiven"] == 100
    assert score["scoreMaximum"] == 100
    assert score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"].endswith("Z")
    assert score["lineitem"] == "rl-link-1"

    # Running the tasks again, or the signal again, sends nothing more.
    delivery = GradeDelivery.objects.get(kind="completion")
    assert tasks.deliver_grade.run(delivery.pk) == "delivered"
    assert grades.queue_completion(record=delivery.record) == []
    _send_due()
    assert len(_completions(lti_platform)) == 1


def test_the_post_test_score_is_the_grade(
    great_lakes, lti_platform, lti_connection, lti_client, trust_attune_keys
):
    trust_attune_keys(lti_client)
    post_test = quiz(great_lakes, pass_mark_percent=50)
    page = webinar(great_lakes, quiz_slug=post_test.slug)
    launch = _launch(lti_platform, lti_client, custom_parameters(training=page))
    answers = correct_answers(post_test)
    answers[sorted(answers)[0]] = []  # one question of five left unanswered: 80 %
    attempt = start_attempt(quiz=post_test, learner=launch.user, training=page)
    attempt = submit_attempt(attempt=attempt, answers=answers)
    assert attempt.passed and attempt.score_percent == 80
    _complete(learner=launch.user, training=page)
    _send_due()
    completions = _completions(lti_platform)
    assert [s["scoreGiven"] for s in completions] == [80]


def test_a_platform_that_is_down_gets_the_grade_when_it_returns(
    lti_platform, lti_connection, lti_client, lti_course, lti_target, trust_attune_keys
):
    trust_attune_keys(lti_client)
    launch = _launch(lti_platform, lti_client, lti_target)
    lti_platform.stop()
    _complete(learner=launch.user, training=lti_course)
    completion = GradeDelivery.objects.get(kind="completion")
    assert grades.deliver(completion.pk).status == "pending"
    completion.refresh_from_db()
    assert completion.attempts == 1
    assert completion.last_error
    assert completion.next_attempt_at > timezone.now()
    # Not due yet: a run before the backoff sends nothing.
    assert grades.deliver(completion.pk).retry_in > datetime.timedelta(0)
    assert completion.pk not in grades.due_deliveries()

    lti_platform.start()
    GradeDelivery.objects.update(next_attempt_at=timezone.now())
    _send_due()
    completion.refresh_from_db()
    assert completion.status == "delivered"
    [score] = _completions(lti_platform)
    assert score["userId"] == "canvas-user-1"
    assert score["scoreGiven"] == 100


def test_a_link_without_a_grade_book_column_owes_nothing(
    lti_platform, lti_connection, lti_client, lti_course, lti_target
):
    launch = _launch(lti_platform, lti_client, lti_target, ags=False)
    _complete(learner=launch.user, training=lti_course)
    assert not GradeDelivery.objects.exists()


def test_a_learner_who_finished_before_launching_gets_the_score_on_the_first_launch(
    great_lakes, lti_platform, lti_connection, lti_client, lti_course, lti_target, trust_attune_keys
):
    trust_attune_keys(lti_client)
    # The learner finished the course in Attune first, then the platform links to it.
    first = _launch(lti_platform, lti_client, lti_target, resource_link_id="link-a")
    _complete(learner=first.user, training=lti_course)
    _send_due()
    later = _launch(lti_platform, lti_client, lti_target, resource_link_id="link-b")
    assert later.user == first.user
    _send_due()
    assert sorted(s["lineitem"] for s in _completions(lti_platform)) == ["rl-link-a", "rl-link-b"]


def test_a_deleted_grade_book_column_is_not_retried_for_a_day(
    lti_platform, lti_connection, lti_client, lti_course, lti_target, trust_attune_keys
):
    trust_attune_keys(lti_client)
    launch = _launch(lti_platform, lti_client, lti_target)
    lti_platform.lineitems.clear()  # the instructor deleted the column
    _complete(learner=launch.user, training=lti_course)
    completion = GradeDelivery.objects.get(kind="completion")
    assert grades.deliver(completion.pk).status == "failed"
    completion.refresh_from_db()
    assert "404" in completion.last_error and completion.next_attempt_at is None


def test_backoff_grows_and_is_capped():
    waits = [grades.backoff(n).total_seconds() for n in (1, 2, 3, 20)]
    assert waits == [30, 60, 120, 6 * 3600]


def _await(condition, timeout=90.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_grade_once_the_completion_commits(
    default_site,
    celery_worker,
    lti_platform,
    lti_connection,
    lti_client,
    lti_course,
    lti_target,
    trust_attune_keys,
):
    trust_attune_keys(lti_client)
    launch = _launch(lti_platform, lti_client, lti_target)
    _complete(learner=launch.user, training=lti_course)
    assert _await(lambda: _completions(lti_platform)), celery_worker.log()[-3000:]
    [score] = _completions(lti_platform)
    assert score["userId"] == "canvas-user-1" and score["scoreGiven"] == 100
    assert _await(lambda: not GradeDelivery.objects.exclude(status="delivered").exists()), (
        celery_worker.log()[-3000:]
    )
    assert len(_completions(lti_platform)) == 1

"""What a learner sees after a post-test attempt: the policy its author chose, applied by the
server (correct answers absent from the page while the policy hides them), and where a
passed post-test leads."""

import pytest
from django.urls import reverse

from courses.models import Enrollment, Quiz, QuizAttempt
from courses.models.quizzes import QuizFeedback, RevealAnswers
from courses.services.completion import evaluate_completion
from courses.services.enrollment import enroll
from courses.services.evaluation import submit_evaluation, survey_for
from courses.services.quizzes import (
    attempt_feedback,
    feedback_policy,
    questions_of,
    start_attempt,
    submit_attempt,
)
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.courses.learning import correct_answers, quiz, webinar
from tests.factories import UserFactory

SCORE, WRONG, ANSWERS = QuizFeedback.SCORE, QuizFeedback.WRONG, QuizFeedback.ANSWERS
PASSED, LAST, EVERY = (
    RevealAnswers.AFTER_PASSING,
    RevealAnswers.AFTER_LAST_ATTEMPT,
    RevealAnswers.EVERY_ATTEMPT,
)
# Where the learner stands: (passed, attempts left).
REMAIN, FAILED_OUT, HAS_PASSED, UNLIMITED = (False, 2), (False, 0), (True, 1), (False, None)

# Texts that only a page revealing the correct answers contains, when every answer was wrong.
CORRECT_TEXTS = ("Back-and-forth exchanges", "Looking at the caregiver", "Communication")
EXPLANATION = "Responsive exchanges build"


@pytest.mark.parametrize(
    ("feedback", "reveal", "where", "which_wrong", "answers"),
    [
        (SCORE, LAST, REMAIN, False, False),
        (SCORE, EVERY, FAILED_OUT, False, False),
        (SCORE, EVERY, HAS_PASSED, False, False),
        (WRONG, LAST, REMAIN, True, False),
        (WRONG, EVERY, REMAIN, True, False),
        (WRONG, LAST, FAILED_OUT, True, False),
        (WRONG, PASSED, HAS_PASSED, True, False),
        (ANSWERS, PASSED, REMAIN, True, False),
        (ANSWERS, PASSED, FAILED_OUT, True, False),
        (ANSWERS, PASSED, HAS_PASSED, True, True),
        (ANSWERS, LAST, REMAIN, True, False),
        (ANSWERS, LAST, UNLIMITED, True, False),
        (ANSWERS, LAST, FAILED_OUT, True, True),
        (ANSWERS, LAST, HAS_PASSED, True, True),
        (ANSWERS, EVERY, REMAIN, True, True),
        (ANSWERS, EVERY, UNLIMITED, True, True),
    ],
)
def test_the_policy_reveals_what_its_author_chose(feedback, reveal, where, which_wrong, answers):
    policy = feedback_policy(
        quiz=Quiz(feedback=feedback, reveal_answers=reveal), passed=where[0], attempts_left=where[1]
    )
    assert (policy.which_wrong, policy.correct_answers) == (which_wrong, answers)


def test_by_default_a_quiz_marks_wrong_questions_and_never_reveals_answers_while_any_remain():
    default = Quiz()
    assert default.feedback == WRONG
    for passed, left in (REMAIN, UNLIMITED, FAILED_OUT, HAS_PASSED):
        policy = feedback_policy(quiz=default, passed=passed, attempts_left=left)
        assert policy.which_wrong and not policy.correct_answers


def wrong_answers(the_quiz) -> dict[str, list[str]]:
    """A wrong choice for every question."""
    return {
        qid: [next(c.id for c in q.choices if not c.correct)]
        for qid, q in questions_of(the_quiz).items()
    }


def test_hidden_answers_leave_the_service_as_the_learners_own_choices_only(great_lakes):
    the_quiz = quiz(great_lakes)
    attempt = submit_attempt(
        attempt=start_attempt(quiz=the_quiz, learner=UserFactory()),
        answers=wrong_answers(the_quiz),
    )
    policy = feedback_policy(quiz=the_quiz, passed=False, attempts_left=2)
    shown = attempt_feedback(attempt=attempt, policy=policy)
    assert len(shown) == 5 and not any(item.correct for item in shown)
    assert all(len(item.answers) == 1 and item.answers[0].chosen for item in shown)
    assert all(answer.correct is None for item in shown for answer in item.answers)
    assert not any(item.explanation for item in shown)
    score_only = feedback_policy(
        quiz=Quiz(feedback=SCORE), passed=False, attempts_left=0
    )  # fmt: skip
    assert attempt_feedback(attempt=attempt, policy=score_only) == []


@pytest.fixture
def learner():
    return UserFactory()


def setup_quiz(org, learner, **policy):
    the_quiz = quiz(org, max_attempts=2, **policy)
    page = webinar(org, quiz_slug=the_quiz.slug)
    enroll(learner=learner, training=page)
    return the_quiz, page


def url(page, the_quiz):
    return reverse("learning:quiz", args=[page.pk, the_quiz.slug])


def attempt(client, page, the_quiz, answers) -> str:
    client.post(url(page, the_quiz), {"action": "start"})
    open_attempt = QuizAttempt.objects.get(status="in_progress")
    posted = {f"q-{qid}": ids for qid, ids in answers.items()}
    response = client.post(
        url(page, the_quiz), {"action": "submit", "attempt": open_attempt.pk, **posted}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_page_marks_wrong_questions_without_the_answers_in_its_html(
    client, great_lakes, learner
):
    the_quiz, page = setup_quiz(great_lakes, learner)
    client.force_login(learner)
    client.post(url(page, the_quiz), {"action": "start"})
    form = client.get(url(page, the_quiz)).content.decode()
    assert "(correct answer)" not in form and "courses/quiz.js" in form

    for html in (
        attempt(client, page, the_quiz, wrong_answers(the_quiz)),
        attempt(client, page, the_quiz, wrong_answers(the_quiz)),  # the last one
    ):
        assert "Not passed yet: 0%" in html
        assert html.count("Not correct") == 5
        assert "A tennis drill" in html  # the learner's own answer
        assert "(correct answer)" not in html and EXPLANATION not in html
        assert not any(text in html for text in CORRECT_TEXTS)
    assert "used every attempt" in html and "Try again" not in html


def test_answers_after_the_last_attempt_only_once_none_remain(client, great_lakes, learner):
    the_quiz, page = setup_quiz(
        great_lakes, learner, feedback=ANSWERS, reveal_answers=LAST
    )  # fmt: skip
    client.force_login(learner)
    first = attempt(client, page, the_quiz, wrong_answers(the_quiz))
    assert "(correct answer)" not in first and "Back-and-forth exchanges" not in first
    assert "once you pass or have used every attempt" in first
    last = attempt(client, page, the_quiz, wrong_answers(the_quiz))
    assert last.count("(correct answer)") == 6  # the multiple-answer question has two
    assert all(text in last for text in CORRECT_TEXTS) and EXPLANATION in last


def test_answers_only_after_passing_stay_hidden_from_a_learner_who_did_not_pass(
    client, great_lakes, learner
):
    the_quiz, page = setup_quiz(
        great_lakes, learner, feedback=ANSWERS, reveal_answers=PASSED
    )  # fmt: skip
    client.force_login(learner)
    attempt(client, page, the_quiz, wrong_answers(the_quiz))
    last = attempt(client, page, the_quiz, wrong_answers(the_quiz))
    assert "(correct answer)" not in last and not any(text in last for text in CORRECT_TEXTS)
    assert client.get(url(page, the_quiz)).content.decode().count("(correct answer)") == 0


def test_answers_after_passing_are_shown_to_a_learner_who_passed(client, great_lakes, learner):
    the_quiz, page = setup_quiz(
        great_lakes, learner, feedback=ANSWERS, reveal_answers=PASSED
    )  # fmt: skip
    client.force_login(learner)
    answers = correct_answers(the_quiz)
    single = next(iter(answers))
    answers[single] = wrong_answers(the_quiz)[single]  # 4 of 5: 80%, a pass
    html = attempt(client, page, the_quiz, answers)
    assert "Passed: 80%" in html and "(correct answer)" in html and EXPLANATION in html


def test_answers_after_every_attempt_when_the_author_says_so(client, great_lakes, learner):
    the_quiz, page = setup_quiz(
        great_lakes, learner, feedback=ANSWERS, reveal_answers=EVERY
    )  # fmt: skip
    client.force_login(learner)
    html = attempt(client, page, the_quiz, wrong_answers(the_quiz))
    assert "Try again" in html and all(text in html for text in CORRECT_TEXTS)


def test_score_only_shows_no_question(client, great_lakes, learner):
    the_quiz, page = setup_quiz(great_lakes, learner, feedback=SCORE)
    client.force_login(learner)
    html = attempt(client, page, the_quiz, wrong_answers(the_quiz))
    assert "Not passed yet: 0%" in html and "your score only" in html
    assert "Not correct" not in html and "A tennis drill" not in html
    assert "Serve and return" not in html


def test_a_passed_post_test_leads_to_the_evaluation_then_the_certificate(
    client, great_lakes, learner
):
    the_quiz, page = setup_quiz(great_lakes, learner)
    client.force_login(learner)
    html = attempt(client, page, the_quiz, correct_answers(the_quiz))
    evaluation = reverse("learning:evaluation", args=[page.pk])
    assert f'<a class="button" href="{evaluation}">Continue to the evaluation</a>' in html
    assert "Try again" not in html

    enrollment = Enrollment.objects.get(learner=learner)
    submit_evaluation(
        enrollment=enrollment, survey=survey_for(training=page), answers={}, attested=True
    )
    enrollment = evaluate_completion(enrollment_id=enrollment.pk)
    html = client.get(url(page, the_quiz)).content.decode()
    assert "Continue to the evaluation" not in html
    certificate = reverse("records:certificate", args=[enrollment.record.verification_id])
    assert f'href="{certificate}">See your certificate' in html


def test_authors_choose_the_policy_where_they_edit_the_quiz(client, great_lakes):
    the_quiz = quiz(great_lakes)
    client.force_login(member(great_lakes, Role.EDITOR))
    html = client.get(reverse("wagtailsnippets_courses_quiz:edit", args=[the_quiz.pk]))
    html = html.content.decode()
    assert "What learners see after an attempt" in html
    assert 'name="feedback"' in html and 'name="reveal_answers"' in html
    assert "The score and which questions were wrong" in html
    assert "Once no attempt remains: after passing or after the last attempt" in html

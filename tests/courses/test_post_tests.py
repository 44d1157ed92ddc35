"""Post-tests: shuffled but stable order, grading, pass mark, attempt limit, feedback."""

import re

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.learning_blocks import QuestionBlock
from courses.models import QuizAttempt
from courses.services.enrollment import enroll
from courses.services.quizzes import QuizError, start_attempt, submit_attempt
from tests.courses.learning import correct_answers, quiz, webinar
from tests.factories import UserFactory


@pytest.fixture
def setup(great_lakes):
    the_quiz = quiz(great_lakes, max_attempts=2)
    page = webinar(great_lakes, quiz_slug=the_quiz.slug)
    learner = UserFactory()
    enroll(learner=learner, training=page)
    return the_quiz, page, learner


QUESTION = re.compile(r'data-question="([^"]+)"')


def url(page, the_quiz):
    return f"/learning/trainings/{page.pk}/quiz/{the_quiz.slug}/"


def test_order_is_shuffled_per_attempt_and_stable_on_reload(client, setup):
    the_quiz, page, learner = setup
    client.force_login(learner)
    client.post(url(page, the_quiz), {"action": "start"})
    first = QUESTION.findall(client.get(url(page, the_quiz)).content.decode())
    assert len(first) == 5
    assert first == QUESTION.findall(client.get(url(page, the_quiz)).content.decode())
    attempt = QuizAttempt.objects.get()
    assert sorted(e["question"] for e in attempt.order) == sorted(correct_answers(the_quiz).keys())
    # Across many attempts the order is not always the same.
    orders = {
        tuple(e["question"] for e in start_attempt(quiz=the_quiz, learner=UserFactory()).order)
        for _ in range(12)
    }
    assert len(orders) > 1


def test_grading_pass_mark_feedback_and_attempt_limit(client, setup):
    the_quiz, page, learner = setup
    client.force_login(learner)
    right = correct_answers(the_quiz)
    client.post(url(page, the_quiz), {"action": "start"})
    attempt = QuizAttempt.objects.get()
    # 3 of 5 right: 60% < 80%.
    answers = {f"q-{qid}": ids for qid, ids in list(right.items())[:3]}
    html = client.post(
        url(page, the_quiz), {"action": "submit", "attempt": attempt.pk, **answers}
    ).content.decode()
    attempt.refresh_from_db()
    assert attempt.score_percent == 60 and not attempt.passed
    assert "Not passed yet" in html and "Responsive exchanges build" in html
    assert "Try again" in html

    client.post(url(page, the_quiz), {"action": "start"})
    second = QuizAttempt.objects.get(number=2)
    assert second.order  # a new order for the new attempt
    # A multi-select answer needs every right choice and no wrong one.
    answers = {f"q-{qid}": ids for qid, ids in right.items()}
    multi = next(qid for qid, ids in right.items() if len(ids) == 2)
    answers[f"q-{multi}"] = right[multi][:1]
    client.post(url(page, the_quiz), {"action": "submit", "attempt": second.pk, **answers})
    second.refresh_from_db()
    assert second.score_percent == 80 and second.passed
    with pytest.raises(QuizError, match="every attempt"):
        start_attempt(quiz=the_quiz, learner=learner)


def test_submitting_twice_keeps_the_first_result(setup):
    the_quiz, _, learner = setup
    attempt = start_attempt(quiz=the_quiz, learner=learner)
    first = submit_attempt(attempt=attempt, answers=correct_answers(the_quiz))
    again = submit_attempt(attempt=attempt, answers={})
    assert first.passed and again.passed and again.score_percent == 100


def test_forged_answers_are_refused_and_change_nothing(setup):
    # More forgeries, through the page and in Spanish: tests/courses/test_quiz_translations.py
    the_quiz, _, learner = setup
    answers = correct_answers(the_quiz)
    single = next(iter(answers))
    answers[single] = ["not-a-choice"]
    attempt = start_attempt(quiz=the_quiz, learner=learner)
    with pytest.raises(QuizError, match="not among its question's answers"):
        submit_attempt(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.status == "in_progress" and attempt.score_percent is None


def test_only_enrolled_learners_and_only_the_trainings_quiz(client, setup, great_lakes):
    the_quiz, page, learner = setup
    client.force_login(UserFactory())
    assert client.get(url(page, the_quiz)).status_code == 403
    client.force_login(learner)
    other = quiz(great_lakes, "other-quiz")
    assert client.get(url(page, other)).status_code == 404


@pytest.mark.parametrize(
    ("kind", "answers", "message"),
    [
        ("single", [("A", True)], "at least two"),
        ("single", [("A", False), ("B", False)], "at least one correct"),
        ("single", [("A", True), ("B", True)], "exactly one correct"),
        ("true_false", [("True", True), ("False", False), ("Maybe", False)], "two answers"),
    ],
)
def test_question_blocks_are_validated(kind, answers, message):
    block = QuestionBlock()
    value = block.to_python(
        {"kind": kind, "prompt": "Q?", "feedback": "",
         "choices": [{"text": t, "correct": c} for t, c in answers]}
    )  # fmt: skip
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert message in str(error.value.non_block_errors)

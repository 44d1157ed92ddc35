"""Taking post-tests: attempts with a fixed shuffled order, grading, and the feedback the
quiz's author lets a learner see."""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AttemptStatus, Quiz, QuizAttempt
from ..models.quizzes import QuizFeedback, RevealAnswers
from ..selectors.quizzes import canonical
from . import learning_activity


class QuizError(Exception):
    """The learner cannot take or submit this attempt; the message says why."""


@dataclass(frozen=True)
class ShownChoice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class ShownQuestion:
    id: str
    kind: str
    prompt: str
    feedback: str
    choices: tuple[ShownChoice, ...]


def _words(quiz: Quiz | None) -> dict[str, str]:
    """The words of a quiz by the id they belong to: a question's prompt and explanation under
    its block id ("<id>" and "<id>:feedback"), an answer's text under its list-item id."""
    words = {}
    for block in quiz.questions if quiz is not None else ():
        if block.block_type != "question":
            continue
        words[str(block.id)] = block.value["prompt"]
        words[f"{block.id}:feedback"] = block.value.get("feedback") or ""
        for item in block.value["choices"].bound_blocks:
            words[str(item.id)] = item.value["text"]
    return words


def questions_of(quiz: Quiz, *, words_from: Quiz | None = None) -> dict[str, ShownQuestion]:
    """The quiz's questions by block id, answers by list-item id. With ``words_from`` (the
    quiz's translation the learner reads), prompts, answers and explanations are its words
    wherever it has them under the same ids; which questions there are, their kind and which
    answers are correct are always ``quiz``'s own, so a translation cannot change a grade."""
    words = _words(words_from if words_from is not None and words_from.pk != quiz.pk else None)
    questions = {}
    for block in quiz.questions:
        if block.block_type != "question":
            continue
        value, qid = block.value, str(block.id)
        choices = tuple(
            ShownChoice(
                id=str(item.id),
                text=words.get(str(item.id)) or item.value["text"],
                correct=bool(item.value["correct"]),
            )
            for item in value["choices"].bound_blocks
        )
        questions[qid] = ShownQuestion(
            id=qid,
            kind=value["kind"],
            prompt=words.get(qid) or value["prompt"],
            feedback=words.get(f"{qid}:feedback") or value.get("feedback") or "",
            choices=choices,
        )
    return questions


def attempts_left(*, quiz: Quiz, learner) -> int | None:
    if quiz.max_attempts is None:
        return None
    used = QuizAttempt.objects.filter(
        quiz=quiz, learner=learner, status=AttemptStatus.SUBMITTED
    ).count()
    return max(quiz.max_attempts - used, 0)


def _order(quiz: Quiz) -> list[dict]:
    questions = list(questions_of(quiz).values())
    rng = random.SystemRandom()
    if quiz.shuffle:
        rng.shuffle(questions)
    order = []
    for question in questions:
        choice_ids = [c.id for c in question.choices]
        # True and false stay in their usual order.
        if quiz.shuffle and question.kind != "true_false":
            rng.shuffle(choice_ids)
        order.append({"question": question.id, "choices": choice_ids})
    return order


@transaction.atomic
def start_attempt(*, quiz: Quiz, learner, training=None) -> QuizAttempt:
    """The learner's open attempt, or a new one with a freshly shuffled order. An attempt is
    always at the canonical post-test, whichever translation the learner reads."""
    quiz = canonical(quiz)
    open_attempt = QuizAttempt.objects.filter(
        quiz=quiz, learner=learner, status=AttemptStatus.IN_PROGRESS
    ).first()
    if open_attempt is not None:
        return open_attempt
    if not questions_of(quiz):
        raise QuizError(_("This quiz has no questions yet."))
    if attempts_left(quiz=quiz, learner=learner) == 0:
        raise QuizError(_("You have used every attempt at this quiz."))
    number = QuizAttempt.objects.filter(quiz=quiz, learner=learner).count() + 1
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                quiz=quiz, learner=learner, training=training, number=number, order=_order(quiz)
            )
    except IntegrityError:
        # A second tab started the same attempt at the same moment.
        return QuizAttempt.objects.get(quiz=quiz, learner=learner, status=AttemptStatus.IN_PROGRESS)


def shown_questions(
    attempt: QuizAttempt, *, words_from: Quiz | None = None
) -> list[tuple[ShownQuestion, list[ShownChoice]]]:
    """The attempt's questions and answers in the order this attempt shows them, in the words
    of ``words_from`` (a translation) where it has them."""
    questions = questions_of(attempt.quiz, words_from=words_from)
    shown = []
    for entry in attempt.order:
        question = questions.get(entry["question"])
        if question is None:
            continue
        by_id = {c.id: c for c in question.choices}
        shown.append((question, [by_id[c] for c in entry["choices"] if c in by_id]))
    return shown


def _check_answers(shown, answers: dict[str, list[str]]) -> None:
    """Refuse answers no form of this attempt could send: an unknown question, an answer that
    is not one of its question's, two answers to a one-answer question."""
    questions = {question.id: (question, choices) for question, choices in shown}
    for qid, given in answers.items():
        if qid not in questions:
            raise QuizError(_("This attempt has no such question. Reload the page and try again."))
        question, choices = questions[qid]
        valid = {c.id for c in choices}
        if any(choice not in valid for choice in given):
            raise QuizError(
                _("One of your answers is not among its question's answers. Reload the page.")
            )
        if question.kind != "multiple" and len(set(given)) > 1:
            raise QuizError(
                _("Choose only one answer to each question marked as having one answer.")
            )


@transaction.atomic
def submit_attempt(*, attempt: QuizAttempt, answers: dict[str, list[str]]) -> QuizAttempt:
    """Grade the attempt against the canonical post-test's answer key. Submitting twice
    returns the first result; answers no form could send raise QuizError and change
    nothing."""
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt
    shown = shown_questions(attempt)
    _check_answers(shown, answers)
    results, correct = {}, 0
    for question, choices in shown:
        chosen = list(dict.fromkeys(answers.get(question.id, [])))
        right = sorted(c.id for c in choices if c.correct)
        is_correct = sorted(chosen) == right
        correct += is_correct
        results[question.id] = {"correct": is_correct, "chosen": chosen, "right": right}
    score = Decimal(correct * 100) / len(shown) if shown else Decimal(0)
    attempt.answers = {qid: r["chosen"] for qid, r in results.items()}
    attempt.results = results
    attempt.score_percent = score.quantize(Decimal("0.01"))
    attempt.passed = score >= attempt.quiz.pass_mark_percent
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.save()
    learning_activity.post_test_submitted(attempt=attempt)
    return attempt


def best_attempt(*, quiz: Quiz, learner) -> QuizAttempt | None:
    return (
        QuizAttempt.objects.filter(quiz=quiz, learner=learner, status=AttemptStatus.SUBMITTED)
        .order_by("-passed", "-score_percent", "-number")
        .first()
    )


@dataclass(frozen=True)
class FeedbackPolicy:
    """What a learner may see now about a submitted attempt."""

    which_wrong: bool
    correct_answers: bool


def feedback_policy(*, quiz: Quiz, passed: bool, attempts_left: int | None) -> FeedbackPolicy:
    """The author's choice applied to where the learner stands: ``passed``, whether they have
    passed this quiz; ``attempts_left``, None for no limit."""
    which_wrong = quiz.feedback in (QuizFeedback.WRONG, QuizFeedback.ANSWERS)
    if quiz.feedback != QuizFeedback.ANSWERS:
        answers = False
    elif quiz.reveal_answers == RevealAnswers.EVERY_ATTEMPT:
        answers = True
    elif quiz.reveal_answers == RevealAnswers.AFTER_PASSING:
        answers = passed
    else:
        answers = passed or attempts_left == 0
    return FeedbackPolicy(which_wrong=which_wrong, correct_answers=answers)


@dataclass(frozen=True)
class AnswerFeedback:
    text: str
    chosen: bool
    # None when the policy keeps the correct answers hidden.
    correct: bool | None


@dataclass(frozen=True)
class QuestionFeedback:
    prompt: str
    correct: bool
    answers: tuple[AnswerFeedback, ...]
    explanation: str


def attempt_feedback(
    *, attempt: QuizAttempt, policy: FeedbackPolicy, words_from: Quiz | None = None
) -> list[QuestionFeedback]:
    """The attempt's questions as the policy lets the learner see them, in the order shown
    and in the words of ``words_from`` (a translation) where it has them.
    Only what is allowed leaves this function, so a page cannot show more: with the correct
    answers hidden, a question lists only the learner's own answers, and its explanation
    (which may give the answer away) only if they answered it correctly."""
    if not policy.which_wrong:
        return []
    feedback = []
    for question, choices in shown_questions(attempt, words_from=words_from):
        outcome = attempt.results.get(question.id, {})
        chosen = set(outcome.get("chosen", []))
        correct = bool(outcome.get("correct"))
        if policy.correct_answers:
            answers = tuple(AnswerFeedback(c.text, c.id in chosen, c.correct) for c in choices)
        else:
            answers = tuple(AnswerFeedback(c.text, True, None) for c in choices if c.id in chosen)
        feedback.append(
            QuestionFeedback(
                prompt=question.prompt,
                correct=correct,
                answers=answers,
                explanation=question.feedback if policy.correct_answers or correct else "",
            )
        )
    return feedback

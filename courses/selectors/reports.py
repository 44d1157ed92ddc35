"""Reports for associations: completions over time, post-test items, evaluations."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from ..learning_blocks import LIKERT_SCALE
from ..models import (
    AttemptStatus,
    Enrollment,
    EnrollmentStatus,
    EvaluationResponse,
    Quiz,
    QuizAttempt,
)
from ..services.quizzes import questions_of
from .learning import trainings_of
from .quizzes import canonical_only


@dataclass
class Bar:
    label: str
    value: float
    percent: float  # of the largest bar, for drawing


def bars(pairs) -> list[Bar]:
    pairs = list(pairs)
    largest = max((v for _, v in pairs), default=0) or 1
    return [
        Bar(label=label, value=value, percent=round(value / largest * 100, 1))
        for label, value in pairs
    ]


def completions_by_month(*, organization) -> list[Bar]:
    rows = (
        Enrollment.objects.filter(
            status=EnrollmentStatus.COMPLETED, training__in=trainings_of(organization=organization)
        )
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return bars((date_format(row["month"], "YEAR_MONTH_FORMAT"), row["count"]) for row in rows)


def completion_rows(*, organization):
    """Completed enrollments, for the CSV: learner, training, date, record."""
    return (
        Enrollment.objects.filter(
            status=EnrollmentStatus.COMPLETED, training__in=trainings_of(organization=organization)
        )
        .select_related("learner", "training", "record")
        .order_by("completed_at", "pk")
    )


@dataclass
class ItemStats:
    question_id: str
    prompt: str
    answered: int = 0
    correct: int = 0
    choices: list[Bar] = field(default_factory=list)

    @property
    def percent_correct(self) -> float:
        return round(self.correct / self.answered * 100, 1) if self.answered else 0.0


@dataclass
class QuizReport:
    quiz: Quiz
    attempts: int
    passed: int
    items: list[ItemStats]


def item_analysis(*, organization) -> list[QuizReport]:
    """For each quiz of the organization: how often each question was answered correctly,
    and how often each answer was chosen."""
    # Attempts in every language are at the source post-test: translations add none.
    quizzes = list(canonical_only(Quiz.objects.filter(organization=organization)))
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(
        quiz__in=quizzes, status=AttemptStatus.SUBMITTED
    ).only("quiz_id", "results", "passed"):
        attempts[attempt.quiz_id].append(attempt)
    reports = []
    for quiz in quizzes:
        questions = questions_of(quiz)
        stats = {qid: ItemStats(question_id=qid, prompt=q.prompt) for qid, q in questions.items()}
        chosen: dict[str, Counter] = defaultdict(Counter)
        for attempt in attempts[quiz.pk]:
            for qid, result in attempt.results.items():
                if qid not in stats:
                    continue
                stats[qid].answered += 1
                stats[qid].correct += bool(result.get("correct"))
                chosen[qid].update(result.get("chosen", []))
        for qid, item in stats.items():
            item.choices = bars(
                (choice.text + (" (correct)" if choice.correct else ""), chosen[qid][choice.id])
                for choice in questions[qid].choices
            )
        runs = attempts[quiz.pk]
        reports.append(
            QuizReport(
                quiz=quiz,
                attempts=len(runs),
                passed=sum(a.passed for a in runs),
                items=list(stats.values()),
            )
        )
    return reports


@dataclass
class LikertSummary:
    prompt: str
    responses: int
    mean: float
    distribution: list[Bar]


@dataclass
class SurveySummary:
    title: str
    responses: int
    likert: list[LikertSummary]
    comments: list[tuple[str, list[str]]]


def evaluation_summaries(*, organization) -> list[SurveySummary]:
    responses = (
        EvaluationResponse.objects.filter(
            enrollment__training__in=trainings_of(organization=organization)
        )
        .select_related("survey")
        .order_by("submitted_at")
    )
    by_survey = defaultdict(list)
    for response in responses:
        if response.survey is not None:
            by_survey[response.survey].append(response)
    summaries = []
    labels = dict(LIKERT_SCALE)
    for survey, group in by_survey.items():
        likert, comments = [], []
        for block in survey.items:
            key = str(block.id)
            values = [r.answers[key] for r in group if key in r.answers]
            if block.block_type == "likert":
                counts = Counter(values)
                likert.append(
                    LikertSummary(
                        prompt=block.value["prompt"],
                        responses=len(values),
                        mean=round(sum(values) / len(values), 2) if values else 0.0,
                        distribution=bars(
                            (f"{value} – {labels[value]}", counts[value]) for value in labels
                        ),
                    )
                )
            else:
                comments.append((block.value["prompt"], [v for v in values if v]))
        summaries.append(
            SurveySummary(
                title=survey.title, responses=len(group), likert=likert, comments=comments
            )
        )
    return summaries

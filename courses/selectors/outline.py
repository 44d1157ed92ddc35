"""A training's outline for its enrolled learner: each lesson, recording, quiz, the
evaluation and the certificate with its state, and the next step once watching is done.
Built from what the page has read already (``LearnerTraining``): no query of its own but
the recordings' titles, which the trackers share."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import EnrollmentStatus, LessonStatus, LiveEventPage
from .learning import LearnerTraining, coverage_percent

WATCHING = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


@dataclass(frozen=True)
class OutlineItem:
    kind: str  # lesson, recording, quiz, evaluation, certificate
    label: str
    url: str
    state: str  # done, in_progress, not_started, locked
    state_label: str
    current: bool = False
    key: str = ""  # a recording's key, for the live updates
    percent: int | None = None


@dataclass(frozen=True)
class NextStep:
    kind: str  # post_test, evaluation, certificate, record
    label: str
    url: str


STATE_LABELS = {
    "done": lambda: _("Done"),
    "in_progress": lambda: _("In progress"),
    "not_started": lambda: _("Not started"),
    "locked": lambda: _("After the steps above"),
}


def _item(kind, label, url, state, **extra) -> OutlineItem:
    return OutlineItem(kind, label, url, state, STATE_LABELS[state](), **extra)


def current_lesson(learning: LearnerTraining):
    """The lesson to take up: the one last opened unless done, else the first not done."""
    lessons = learning.content.lessons
    if not lessons or learning.enrollment is None:
        return None
    statuses = learning.lesson_statuses
    resume = learning.enrollment.resume_page_id
    for lesson in lessons:
        if lesson.pk == resume and statuses.get(lesson.pk) != LessonStatus.DONE:
            return lesson
    return next((les for les in lessons if statuses.get(les.pk) != LessonStatus.DONE), None)


def lesson_neighbours(learning: LearnerTraining, lesson) -> tuple:
    lessons = learning.content.lessons
    ids = [les.pk for les in lessons]
    if lesson.pk not in ids:
        return None, None
    i = ids.index(lesson.pk)
    return (lessons[i - 1] if i else None), (lessons[i + 1] if i + 1 < len(lessons) else None)


def training_outline(learning: LearnerTraining) -> list[OutlineItem]:
    training, enrollment = learning.training, learning.enrollment
    if enrollment is None or enrollment.status not in WATCHING:
        return []
    items = []
    content = learning.content
    statuses = learning.lesson_statuses
    current = current_lesson(learning)
    for lesson in content.lessons:
        state = statuses.get(lesson.pk) or "not_started"
        items.append(
            _item("lesson", lesson.title, lesson.url or "", state, current=lesson == current)
        )
    goal = coverage_percent(training=training)
    own = content.recording_ids_for(None)
    recordings = content.recordings_by_id(own)
    for rid in own:
        recording = recordings.get(rid)
        if recording is None:
            continue
        row = learning.progress.get(rid)
        percent = int(row.coverage * 100) if row is not None else 0
        state = "done" if percent >= goal else "in_progress" if percent else "not_started"
        items.append(
            _item(
                "recording",
                recording.title,
                "#player",
                state,
                key=str(recording.key),
                percent=percent,
            )
        )
    for quiz in content.quizzes:
        if quiz.lesson_id is not None:
            continue
        found = learning.quizzes.get(quiz.slug)
        state = "done" if found is not None and found.learner_passed else "not_started"
        url = reverse("learning:quiz", args=[training.pk, quiz.slug])
        items.append(_item("quiz", quiz.label, url, state))
    is_event = isinstance(training, LiveEventPage)
    if training.require_evaluation or not is_event:
        url = reverse("learning:evaluation", args=[training.pk])
        state = "done" if learning.evaluated else "not_started"
        items.append(_item("evaluation", _("Evaluation"), url, state))
    if enrollment.record_id:
        url = reverse("records:certificate", args=[enrollment.record.verification_id])
        items.append(_item("certificate", _("Certificate"), url, "done"))
    else:
        items.append(_item("certificate", _("Certificate"), "", "locked"))
    return items


def next_step(learning: LearnerTraining, checks) -> NextStep | None:
    """What to do once the recordings are watched and the lessons done: the first rule
    after them still unmet, or the certificate."""
    training, enrollment = learning.training, learning.enrollment
    if enrollment is None or enrollment.status not in WATCHING:
        return None
    unmet = {c.key for c in checks if not c.met}
    if "post_test" in unmet:
        for quiz in learning.content.required_quizzes():
            found = learning.quizzes.get(quiz.slug)
            if found is None or not found.learner_passed:
                url = reverse("learning:quiz", args=[training.pk, quiz.slug])
                return NextStep("post_test", _("Take the post-test"), url)
    if "evaluation" in unmet and enrollment.status == EnrollmentStatus.ACTIVE:
        url = reverse("learning:evaluation", args=[training.pk])
        return NextStep("evaluation", _("Evaluate the training"), url)
    if enrollment.record_id:
        url = reverse("records:certificate", args=[enrollment.record.verification_id])
        return NextStep("certificate", _("Download your certificate"), url)
    return None

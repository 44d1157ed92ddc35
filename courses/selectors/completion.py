"""Where an enrollment stands against its training's completion rules (reads only)."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ..conf import config
from ..models import Attendance, EvaluationResponse, LiveEventPage
from .learning import (
    LearnerTraining,
    coverage_percent,
    lessons_done,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleCheck:
    key: str
    label: str
    met: bool
    detail: str = ""


def event_minutes(event) -> int | None:
    if event.starts_at is None or event.ends_at is None:
        return None
    return max(int((event.ends_at - event.starts_at).total_seconds() // 60), 1)


@dataclass(frozen=True)
class AttendanceShare:
    """The minutes a registrant attended of an event ``length`` minutes long. Every rule
    about attendance (completion, credit kinds, the learning cards) asks ``reaches``."""

    minutes: int
    length: int

    def reaches(self, percent) -> bool:
        """Exactly, in whole numbers: 29 of 100 minutes reaches 29% (a float says 28.99…)."""
        return self.minutes * 100 >= Decimal(percent) * self.length

    @property
    def percent(self) -> Decimal:
        return (Decimal(self.minutes) * 100 / self.length).quantize(Decimal("0.01"))

    @property
    def shown_percent(self) -> str:
        """Whole percent, rounded down: a share short of the rule never reads as reaching it
        (79.6% shows 79%, not 80%)."""
        return str(self.minutes * 100 // self.length)


def attendance_share(*, enrollment, event) -> AttendanceShare | None:
    attendance = Attendance.objects.filter(enrollment=enrollment).first()
    length = event_minutes(event)
    if attendance is None or not length:
        return None
    return AttendanceShare(attendance.minutes, length)


def attendance_check(*, enrollment, event) -> RuleCheck:
    needed = event.minimum_attendance_percent or config().attendance_percent
    share = attendance_share(enrollment=enrollment, event=event)
    attend_label = _("Attend at least %(percent)s%% of the event") % {"percent": needed}
    if share is None:
        return RuleCheck("attendance", attend_label, False)
    return RuleCheck(
        "attendance",
        attend_label,
        share.reaches(needed),
        _("%(attended)s of %(length)s minutes (%(share)s%%)")
        % {"attended": share.minutes, "length": share.length, "share": share.shown_percent},
    )


def completion_checks(*, enrollment, learning: LearnerTraining | None = None) -> list[RuleCheck]:
    """Each rule the training sets, and whether the learner meets it now. ``learning``: what
    the caller has read about this enrollment's learner and training already."""
    learning = learning or LearnerTraining.of(enrollment)
    training = learning.training
    checks = []
    is_event = isinstance(training, LiveEventPage)
    if is_event:
        checks.append(attendance_check(enrollment=enrollment, event=training))
    else:
        content = learning.content
        if training.require_lessons and content.lessons:
            checks.append(
                RuleCheck(
                    "lessons",
                    _("Finish every lesson"),
                    lessons_done(
                        enrollment=enrollment,
                        lessons=content.lessons,
                        statuses=learning.lesson_statuses,
                    ),
                )
            )
        if training.require_watch and content.recording_ids:
            needed = coverage_percent(training=training)
            progress = learning.progress
            shares = [
                progress[rid].coverage if rid in progress else 0.0 for rid in content.recording_ids
            ]
            checks.append(
                RuleCheck(
                    "watch",
                    _("Watch at least %(percent)s%% of each recording") % {"percent": needed},
                    all(share * 100 >= needed for share in shares),
                    _("%(percent)s%% watched") % {"percent": f"{min(shares) * 100:.0f}"}
                    if len(shares) == 1
                    else "",
                )
            )
        required = content.required_quizzes()
        if training.require_post_test and required:
            quizzes = learning.quizzes
            passed = {quiz.pk for quiz in quizzes.values() if quiz.learner_passed}
            missing = [q.label for q in required if quizzes.get(q.slug) is None]
            if missing:
                logger.warning("Training %s names unknown quizzes: %s", training.pk, missing)
            checks.append(
                RuleCheck(
                    "post_test",
                    _("Pass the post-test")
                    if len(required) == 1
                    else _("Pass every required quiz"),
                    not missing and all(quizzes[q.slug].pk in passed for q in required),
                )
            )
    if training.require_evaluation or not is_event:
        label = (
            _("Submit the evaluation and confirm you completed the training yourself")
            if training.require_evaluation
            else _("Attest and confirm you completed the training yourself")
        )
        checks.append(
            RuleCheck(
                "evaluation",
                label,
                learning.evaluated
                if learning.enrollment is not None and learning.enrollment.pk == enrollment.pk
                else EvaluationResponse.objects.filter(enrollment=enrollment).exists(),
            )
        )
    return checks

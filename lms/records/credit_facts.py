"""The credit a training offered in each kind and what one learner earned, as plain facts.

``courses`` decides at completion whether the learner met each kind's rules and hands the
outcomes to ``issue_completion_record(..., credits=...)``; records never read a course. The
kind's own wording, numbers and unit are copied from the ``CreditKind`` when the record is
written, so the snapshot carries only what the training and the learner decided.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CreditOutcome:
    """One kind a training offers, and this learner's outcome in it.

    ``claim``: the learner chose, when completing, to claim this kind; a claim is made only
    if it is earned, and for a kind that needs a license only with ``license_number``.
    """

    kind_id: int
    amount: Decimal
    category: str
    earned: bool
    course_approval_number: str = ""
    not_earned_reason: str = ""
    best_score_percent: Decimal | None = None
    attendance_percent: Decimal | None = None
    claim: bool = False
    license_number: str = ""
    license_jurisdiction: str = ""

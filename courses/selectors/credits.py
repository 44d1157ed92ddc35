"""The continuing-education credit a training offers, and whether a learner earned each kind
(reads only).

On top of the training's own completion rules, each kind may ask for:

- a minimum post-test score: the learner's best submitted attempt at each of the training's
  required post-tests must reach it (a board's rule is about the post-test, so with several
  required quizzes each one counts, and the lowest best score is the one shown). A training
  with no required post-test cannot meet such a rule. Attempts count as the completion check
  counts them: the learner's attempts at the quiz, whichever training they were taken in.
- a minimum attendance share: live events only, the attended minutes over the event's length
  (on-demand trainings are held to their own watch rule instead);
- approval dates: the day the training was completed must fall within the kind's approval.

Reasons are written in the learner's language, as they will read them on their record.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Max
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lms.accounts.models import ProfessionalLicense
from lms.accounts.selectors import preferred_language
from lms.records.credit_facts import CreditOutcome

from ..models import (
    AttemptStatus,
    LiveEventPage,
    QuizAttempt,
    TrainingCreditOffer,
)
from .completion import attendance_share
from .learning import LearnerTraining


@dataclass(frozen=True)
class OfferedCredit:
    """A kind the training offers, as the evaluation form shows it."""

    offer: object  # TrainingCreditOffer
    kind: object  # CreditKind
    checked: bool
    license_number: str = ""
    license_state: str = ""

    @property
    def needs_license(self) -> bool:
        return bool(self.kind.license_profession)

    @property
    def error_key(self) -> str:
        return f"credit-{self.kind.pk}"


def credit_offers(*, training):
    """The training's offers as published (read from the table, not a page revision)."""
    return list(
        TrainingCreditOffer.objects.filter(page_id=training.pk)
        .select_related("kind")
        .order_by("sort_order", "pk")
    )


def licenses_by_profession(*, learner) -> dict[str, ProfessionalLicense]:
    return {lic.profession: lic for lic in ProfessionalLicense.objects.filter(user=learner)}


def offered_credits(*, training, learner, posted=None) -> list[OfferedCredit]:
    """The kinds a training offers, with the learner's license for each from the profile.
    Pre-checked on the form's first showing: kinds needing no license, and those whose
    license the learner keeps in the profile (a professional claims the credit of their own
    board; a kind needing a license they do not hold is rarely theirs). ``posted``: the
    form as the learner sent it, shown again as they left it."""
    licenses = licenses_by_profession(learner=learner)
    rows = []
    for offer in credit_offers(training=training):
        kind = offer.kind
        held = licenses.get(kind.license_profession) if kind.license_profession else None
        if posted is not None:
            rows.append(
                OfferedCredit(
                    offer=offer,
                    kind=kind,
                    checked=posted.get(f"claim-{kind.pk}") == "yes",
                    license_number=posted.get(f"license-{kind.pk}", ""),
                    license_state=posted.get(f"license-state-{kind.pk}", ""),
                )
            )
            continue
        rows.append(
            OfferedCredit(
                offer=offer,
                kind=kind,
                checked=not kind.license_profession or held is not None,
                license_number=held.number if held else "",
                license_state=held.jurisdiction if held else "",
            )
        )
    return rows


def _percent_text(value: Decimal) -> str:
    """Whole percent, rounded down: a score short of the rule never reads as reaching it
    (79.5% shows 79%, not 80%)."""
    return f"{value.quantize(Decimal('1'), rounding=ROUND_DOWN):f}"


def best_post_test_score(*, learning: LearnerTraining) -> tuple[bool, Decimal | None]:
    """(has required post-tests, the lowest of the learner's best scores at each, or None
    when one has no submitted attempt)."""
    training = learning.training
    if isinstance(training, LiveEventPage) or not training.require_post_test:
        return False, None
    required = learning.content.required_quizzes()
    quizzes = learning.quizzes
    ids = [quizzes[q.slug].pk for q in required if q.slug in quizzes]
    if not ids:
        return False, None
    best = dict(
        QuizAttempt.objects.filter(
            learner=learning.learner, quiz_id__in=ids, status=AttemptStatus.SUBMITTED
        )
        .values("quiz_id")
        .annotate(best=Max("score_percent"))
        .values_list("quiz_id", "best")
    )
    scores = [best.get(quiz_id) for quiz_id in ids]
    if any(score is None for score in scores):
        return True, None
    return True, min(scores)


def _reason(*, kind, completed_on, score, has_post_test, attendance, is_event) -> str:
    """Why ``kind`` is not earned, in plain words, or "" when it is."""
    name = kind.name
    if not kind.is_approved_on(completed_on):
        return _("%(kind)s was not approved on %(date)s, the day you completed the training.") % {
            "kind": name,
            "date": date_format(completed_on, "DATE_FORMAT"),
        }
    needed = kind.minimum_score_percent
    if needed:
        if not has_post_test:
            return _(
                "%(kind)s needs a post-test score of %(needed)s%%; this training has none."
            ) % {
                "kind": name,
                "needed": needed,
            }
        if score is None:
            return _("%(kind)s needs a post-test score of %(needed)s%%.") % {
                "kind": name,
                "needed": needed,
            }
        if score < needed:
            return _("Your best post-test score was %(score)s%%; %(kind)s needs %(needed)s%%.") % {
                "score": _percent_text(score),
                "kind": name,
                "needed": needed,
            }
    needed = kind.minimum_attendance_percent
    if needed and is_event:
        if attendance is None:
            return _("%(kind)s needs attendance of %(needed)s%% of the event.") % {
                "kind": name,
                "needed": needed,
            }
        if not attendance.reaches(needed):
            return _("You attended %(share)s%% of the event; %(kind)s needs %(needed)s%%.") % {
                "share": attendance.shown_percent,
                "kind": name,
                "needed": needed,
            }
    return ""


def credit_outcomes(
    *, enrollment, training, completed_on, learning: LearnerTraining | None = None
) -> list[CreditOutcome]:
    """For every kind ``training`` offers: whether the learner earned it on ``completed_on``,
    why not, and whether they chose to claim it when completing (their evaluation), with
    the license number from their profile."""
    training = training.specific
    offers = credit_offers(training=training)
    if not offers:
        return []
    learning = learning or LearnerTraining(
        learner=enrollment.learner, training=training, enrollment=enrollment
    )
    learner = enrollment.learner
    is_event = isinstance(training, LiveEventPage)
    has_post_test, score = best_post_test_score(learning=learning)
    attendance = attendance_share(enrollment=enrollment, event=training) if is_event else None
    evaluation = getattr(enrollment, "evaluation", None) if enrollment.pk else None
    chosen = set(evaluation.credit_claims) if evaluation is not None else set()
    licenses = licenses_by_profession(learner=learner) if chosen else {}
    outcomes = []
    with translation.override(preferred_language(user=learner) or translation.get_language()):
        for offer in offers:
            kind = offer.kind
            reason = _reason(
                kind=kind,
                completed_on=completed_on,
                score=score,
                has_post_test=has_post_test,
                attendance=attendance,
                is_event=is_event,
            )
            license = licenses.get(kind.license_profession) if kind.license_profession else None
            outcomes.append(
                CreditOutcome(
                    kind_id=kind.pk,
                    amount=offer.amount,
                    category=offer.category,
                    course_approval_number=offer.approval_number,
                    earned=not reason,
                    not_earned_reason=reason,
                    best_score_percent=score,
                    attendance_percent=attendance.percent if attendance else None,
                    claim=kind.pk in chosen,
                    license_number=license.number if license else "",
                    license_jurisdiction=license.jurisdiction if license else "",
                )
            )
    return outcomes

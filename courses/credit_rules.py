"""The rules a credit kind adds to a training that offers it, checked when the editor saves
and again before it is published (``selectors.credit_offers`` gathers the facts).

Pure: given the kind, the amount offered and what the training holds, each rule returns the
message an editor reads, naming the kind. Imports no models, so the page forms can use it.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.numbers import localized


@dataclass(frozen=True)
class PostTests:
    """The post-tests a learner must pass to complete a training."""

    required: bool  # the training requires passing at least one post-test
    questions: int = 0  # questions in those post-tests, in total
    quizzes: int = 0  # how many post-tests those are


def credit_hours(*, kind, amount: Decimal) -> Decimal:
    """The contact hours ``amount`` of ``kind`` stands for (0.3 CEU at 10 hours a unit: 3)."""
    return Decimal(amount) * kind.hours_per_unit


def questions_needed(*, kind, amount: Decimal) -> int:
    if not kind.minimum_questions_per_hour:
        return 0
    return math.ceil(credit_hours(kind=kind, amount=amount) * kind.minimum_questions_per_hour)


def offer_errors(
    *,
    kind,
    amount: Decimal | None,
    association,
    contact_hours: Decimal | None,
    post_tests: PostTests,
    today: datetime.date,
    is_course: bool = False,
) -> list[str]:
    """Why a training held by ``association`` may not offer ``amount`` of ``kind``."""
    name = kind.name
    if association is None or kind.organization_id != association.pk:
        return [
            _("“%(kind)s” is not one of this training's association's credit kinds.")
            % {"kind": name}
        ]
    errors = []
    if not kind.is_active:
        errors.append(
            _(
                "%(association)s no longer offers “%(kind)s”. Remove it here, or ask an "
                "administrator to switch it back on in Credit kinds."
            )
            % {"association": association.display_name, "kind": name}
        )
    if kind.approved_until is not None and kind.approved_until < today:
        errors.append(
            _(
                "The approval of “%(kind)s” ended on %(day)s: learners completing this training "
                "would not earn it. Renew the approval in Credit kinds, or remove the credit."
            )
            % {"kind": name, "day": date_format(kind.approved_until, "DATE_FORMAT")}
        )
    if amount is None or amount <= 0:
        return errors
    hours = credit_hours(kind=kind, amount=amount)
    if contact_hours and hours > contact_hours:
        errors.append(
            _(
                "%(amount)s %(unit)s of “%(kind)s” stand for %(hours)s contact hours; the "
                "training has %(contact)s."
            )
            % {
                "amount": localized(amount),
                "unit": kind.get_unit_display(),
                "kind": name,
                "hours": localized(hours),
                "contact": localized(contact_hours),
            }
        )
    needed = questions_needed(kind=kind, amount=amount)
    where = (
        _("Add a required post-test to a published lesson first.")
        if is_course
        else _("Add a required post-test first.")
    )
    if needed and not post_tests.required:
        errors.append(
            ngettext(
                "“%(kind)s” needs a required post-test of at least %(needed)s question for "
                "%(hours)s credit hours; the training has no required post-test. %(where)s",
                "“%(kind)s” needs a required post-test of at least %(needed)s questions for "
                "%(hours)s credit hours; the training has no required post-test. %(where)s",
                needed,
            )
            % {"kind": name, "needed": needed, "hours": localized(hours), "where": where}
        )
    elif needed and post_tests.questions < needed:
        errors.append(
            (
                _(
                    "“%(kind)s” needs at least %(needed)s post-test questions for %(hours)s "
                    "credit hours; the post-test has %(count)s."
                )
                if post_tests.quizzes == 1
                else _(
                    "“%(kind)s” needs at least %(needed)s post-test questions for %(hours)s "
                    "credit hours; the required post-tests have %(count)s in all."
                )
            )
            % {
                "kind": name,
                "needed": needed,
                "hours": localized(hours),
                "count": post_tests.questions,
            }
        )
    if kind.minimum_score_percent and not post_tests.required and not needed:
        errors.append(
            _(
                "“%(kind)s” asks for a post-test score of at least %(score)s%%, but the "
                "training has no required post-test, so no learner could earn it. %(where)s"
            )
            % {"kind": name, "score": kind.minimum_score_percent, "where": where}
        )
    return errors

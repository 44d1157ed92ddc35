"""Before applying: what is missing or unverified, and what blocks a submission."""

from dataclasses import dataclass

from .evaluation import Evaluation
from .facts import SELF_REPORTED, ZERO, RecordFact
from .i18n import gettext as _
from .i18n import ngettext
from .rule_sets import ChecklistItem
from .words import describe_area, describe_gap, format_hours, hours_in_words, missing_in_words


def open_items(evaluation: Evaluation) -> tuple[list[str], list[str]]:
    """What stands between the evaluation and a submission: ``(blocking, allowed)``. A rule
    the rule set lets be open at submission (the exam, say) is allowed; every other unmet
    rule, and every competency area a set expects and the records do not cover, blocks.
    References are left to the caller, which knows the raters named."""
    blocking, allowed = [], []
    for result in evaluation.unmet:
        if result.rule.checklist_item == ChecklistItem.REFERENCES:
            continue  # an application names its raters; the caller says what they lack
        (allowed if result.rule.open_at_submission else blocking).append(describe_gap(result))
    blocking += [describe_area(a) for a in evaluation.uncovered_areas]
    return blocking, allowed


# Readiness names self-reported records one by one up to this many, then counts the rest.
MAX_LISTED_RECORDS = 10


@dataclass(frozen=True)
class ReadinessItem:
    status: str  # "missing" or "unverified"
    text: str


def readiness(evaluation: Evaluation, facts: list[RecordFact] | tuple[RecordFact, ...]):
    """What is still missing or unverified before applying: a list of ``ReadinessItem``."""
    items = [ReadinessItem("missing", line) for line in missing_in_words(evaluation)]
    by_id = {f.record_id: f for f in facts}
    for result in evaluation.results:
        if result.is_checklist:
            if result.tick is not None and not result.tick.has_evidence:
                items.append(
                    ReadinessItem(
                        "unverified",
                        _("%(rule)s: ticked on %(day)s with no evidence uploaded.")
                        % {
                            "rule": result.rule.label,
                            "day": f"{result.tick.completed_on:%Y-%m-%d}",
                        },
                    )
                )
            continue
        self_reported = result.hours_by_tier.get(SELF_REPORTED, ZERO)
        if result.met and self_reported and result.verified < result.required:
            items.append(
                ReadinessItem(
                    "unverified",
                    _(
                        "%(rule)s: %(self_reported)s of the %(achieved)s hours counted are "
                        "self-reported."
                    )
                    % {
                        "rule": result.rule.label,
                        "self_reported": format_hours(self_reported),
                        "achieved": format_hours(result.achieved),
                    },
                )
            )
    counted = evaluation.counted_record_ids
    pending = [by_id[i] for i in sorted(counted) if i in by_id and by_id[i].rsc_pending]
    if pending:
        hours = sum((f.hours for f in pending), ZERO)
        items.append(
            ReadinessItem(
                "unverified",
                ngettext(
                    "%(count)s RSC session (%(hours)s) still awaiting your supervisor's "
                    "co-signature.",
                    "%(count)s RSC sessions (%(hours)s) still awaiting your supervisor's "
                    "co-signature.",
                    len(pending),
                )
                % {"count": len(pending), "hours": hours_in_words(hours)},
            )
        )
    bare = [
        by_id[i]
        for i in sorted(counted)
        if i in by_id and by_id[i].is_unverified and not by_id[i].is_rsc
    ]
    for fact in bare[:MAX_LISTED_RECORDS]:
        items.append(
            ReadinessItem(
                "unverified",
                _("“%(title)s” (%(day)s) is self-reported with no evidence attached.")
                % {"title": fact.title, "day": f"{fact.completed_on:%Y-%m-%d}"},
            )
        )
    if len(bare) > MAX_LISTED_RECORDS:
        more = len(bare) - MAX_LISTED_RECORDS
        items.append(
            ReadinessItem(
                "unverified",
                ngettext(
                    "%(count)s more self-reported record with no evidence attached "
                    "(see My records).",
                    "%(count)s more self-reported records with no evidence attached "
                    "(see My records).",
                    more,
                )
                % {"count": more},
            )
        )
    return items

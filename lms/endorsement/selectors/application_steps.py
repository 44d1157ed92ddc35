"""An application draft as steps: records, outside training, reflective supervision/consultation,
checklist evidence, references, review and submit. Each step's state (done, needs attention,
not started) and what it still lacks come from the draft's own checks (the rules' evaluation
and the raters named), so the stepper never disagrees with what blocks a submission. No
queries: everything is read from an ``ApplicationDraft``.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.numbers import localized
from lms.records.models import VerificationTier

from ..rules.facts import ZERO
from ..rules.rule_sets import RuleKind
from ..rules.words import describe_area, describe_gap
from .applications import ApplicationDraft, ApplicationEntry
from .references import active_references, reference_gaps


class StepState(StrEnum):
    DONE = "done"
    ATTENTION = "attention"
    NOT_STARTED = "not_started"


STATE_LABELS = {
    StepState.DONE: _("Done"),
    StepState.ATTENTION: _("Needs attention"),
    StepState.NOT_STARTED: _("Not started"),
}

#: The steps in order: (slug, title). The slug is the ``?step=`` value of the page.
STEPS = (
    ("records", _("Your records")),
    ("outside-training", _("Outside training")),
    ("rsc", _("Reflective supervision/consultation")),
    ("checklist", _("Checklist evidence")),
    ("references", _("References")),
    ("review", _("Review and submit")),
)
STEP_SLUGS = tuple(slug for slug, _title in STEPS)
FIRST_STEP = STEP_SLUGS[0]

# The rules each hours step answers for; checklist rules belong to the checklist step.
TRAINING_KINDS = frozenset(
    {
        RuleKind.TRAINING_HOURS,
        RuleKind.AREA_HOURS,
        RuleKind.DEI_HOURS,
        RuleKind.RSC_TOPIC_HOURS,
    }
)


@dataclass(frozen=True)
class ApplicationStep:
    slug: str
    number: int
    title: str
    state: StepState
    summary: str
    missing: tuple[str, ...] = field(default_factory=tuple)
    may_stay_open: tuple[str, ...] = field(default_factory=tuple)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def done(self) -> bool:
        return self.state == StepState.DONE


def step_slug(value: str | None) -> str:
    """The step asked for, or the first step for anything unknown."""
    return value if value in STEP_SLUGS else FIRST_STEP


def is_outside(entry: ApplicationEntry) -> bool:
    """Training the learner reported themselves (added here or on the records page)."""
    return entry.record.verification_tier == VerificationTier.SELF_REPORTED


def _hours(entries) -> Decimal:
    return sum((e.facts.duration_hours for e in entries if e.counted), ZERO)


def _state(*, met: bool, started: bool) -> StepState:
    if met:
        return StepState.DONE
    return StepState.ATTENTION if started else StepState.NOT_STARTED


def _records_summary(entries) -> str:
    count = len(entries)
    return ngettext(
        "%(count)d record, %(hours)s hours counted",
        "%(count)d records, %(hours)s hours counted",
        count,
    ) % {"count": count, "hours": _format(_hours(entries))}


def _format(value: Decimal) -> str:
    return localized(value) if value else "0"


def application_steps(*, draft: ApplicationDraft) -> list[ApplicationStep]:
    """The draft's steps in order with their state and what each still lacks."""
    evaluation = draft.evaluation
    results = evaluation.results if evaluation else ()
    training_unmet = [r for r in results if r.rule.kind in TRAINING_KINDS and not r.met]
    uncovered = evaluation.uncovered_areas if evaluation else ()
    training_missing = tuple(
        [describe_gap(r) for r in training_unmet] + [describe_area(a) for a in uncovered]
    )
    training_met = evaluation is not None and not training_missing
    rsc_rules = [r for r in results if r.rule.kind == RuleKind.RSC_HOURS]
    rsc_unmet = [r for r in rsc_rules if not r.met]
    checklist = draft.checklist
    checklist_open = [r for r in checklist if not r.met and not r.rule.open_at_submission]
    checklist_allowed = [r for r in checklist if not r.met and r.rule.open_at_submission]
    ref_gaps = tuple(
        reference_gaps(requirement_set=draft.requirement_set, references=draft.references)
    )
    blocking, allowed = draft.open_items
    outside = [e for e in draft.training if is_outside(e)]
    platform = [e for e in draft.training if not is_outside(e)]

    if rsc_rules or draft.rsc:
        rsc_summary = _records_summary(draft.rsc)
    else:
        rsc_summary = str(_("Not required by these rules"))
    if checklist:
        ticked = sum(1 for r in checklist if r.met)
        checklist_summary = ngettext(
            "%(done)d of %(count)d item ticked",
            "%(done)d of %(count)d items ticked",
            len(checklist),
        ) % {"done": ticked, "count": len(checklist)}
    else:
        checklist_summary = str(_("No checklist items in these rules"))
    active = len(active_references(draft.references))
    needed = draft.requirement_set.raters_required if draft.requirement_set else 0
    if blocking:
        review_summary = ngettext(
            "%(count)d thing still needed", "%(count)d things still needed", len(blocking)
        ) % {"count": len(blocking)}
    else:
        review_summary = str(_("Ready to submit"))

    states = {
        "records": (
            _state(met=training_met, started=bool(draft.training)),
            _records_summary(platform),
            training_missing,
            (),
        ),
        "outside-training": (
            StepState.DONE if outside or training_met else StepState.NOT_STARTED,
            _records_summary(outside) if outside else str(_("Optional: training elsewhere")),
            (),
            (),
        ),
        "rsc": (
            _state(met=not rsc_unmet, started=bool(draft.rsc)),
            rsc_summary,
            tuple(describe_gap(r) for r in rsc_unmet),
            (),
        ),
        "checklist": (
            _state(
                met=not checklist_open,
                started=any(r.met or r.tick is not None for r in checklist),
            ),
            checklist_summary,
            tuple(describe_gap(r) for r in checklist_open),
            tuple(describe_gap(r) for r in checklist_allowed),
        ),
        "references": (
            _state(met=not ref_gaps, started=bool(active)),
            ngettext(
                "%(named)d of %(needed)d rater named",
                "%(named)d of %(needed)d raters named",
                needed,
            )
            % {"named": active, "needed": needed},
            ref_gaps,
            (),
        ),
        "review": (
            StepState.DONE if not blocking else StepState.NOT_STARTED,
            review_summary,
            tuple(blocking),
            tuple(allowed),
        ),
    }
    return [
        ApplicationStep(
            slug=slug,
            number=number,
            title=str(title),
            state=states[slug][0],
            summary=str(states[slug][1]),
            missing=states[slug][2],
            may_stay_open=states[slug][3],
        )
        for number, (slug, title) in enumerate(STEPS, start=1)
    ]

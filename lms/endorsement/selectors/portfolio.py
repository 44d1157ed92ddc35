"""The learner's portfolio: the association and category they work toward, the evaluation of
their records against the rules in effect, the renewal tracker and the page's overview.

Query budget: ``evaluate_portfolio`` is five queries (one for the rules and ticks, four for
the records).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import LearnerProfile
from lms.competencies.models import EndorsementCategory
from lms.organizations.models import Organization, OrganizationKind

from ..models import ChecklistTick, Endorsement, RequirementSet
from ..rules.cycles import Cycle
from ..rules.evaluation import Evaluation, RuleResult, evaluate
from ..rules.facts import ZERO, AreaInfo, RecordFact
from ..rules.readiness import ReadinessItem, readiness
from ..rules.rule_sets import RuleKind, SetKind
from ..rules.words import missing_in_words
from .facts import portfolio_facts, standing_for
from .requirements import category_areas, rule_set_in_effect
from .suggestions import (
    CANDIDATES_PER_SUGGESTION,
    SUGGESTION_LIMIT,
    SuggestedTraining,
    Suggester,
    rank_by_gaps_closed,
    suggested_trainings,
)


@dataclass(frozen=True)
class PortfolioGoal:
    association: Organization | None = None
    category: EndorsementCategory | None = None
    target_date: datetime.date | None = None


def portfolio_goal(*, learner) -> PortfolioGoal:
    """The association and category the learner works toward and the day they mean to apply
    by (from their profile), in one query."""
    profile = (
        LearnerProfile.objects.filter(user=learner)
        .select_related("association", "target_category")
        .first()
    )
    if profile is None:
        return PortfolioGoal()
    association = profile.association
    if association is not None and association.kind != OrganizationKind.ASSOCIATION:
        association = None
    return PortfolioGoal(association, profile.target_category, profile.target_date)


def portfolio_target(*, learner) -> tuple[Organization | None, EndorsementCategory | None]:
    """The association and category the learner works toward (from their profile), or Nones."""
    goal = portfolio_goal(learner=learner)
    return goal.association, goal.category


@dataclass(frozen=True)
class PortfolioEvaluation:
    requirement_set: RequirementSet
    evaluation: Evaluation
    facts: list[RecordFact]

    @property
    def missing(self) -> list[str]:
        return missing_in_words(self.evaluation)

    @property
    def readiness(self) -> list[ReadinessItem]:
        return readiness(self.evaluation, self.facts)


def evaluate_portfolio(
    *,
    learner,
    association,
    category,
    kind: str,
    on: datetime.date | None = None,
    held: Endorsement | None = None,
    facts: list[RecordFact] | None = None,
    areas: list[AreaInfo] | None = None,
) -> PortfolioEvaluation | None:
    """Evaluate the learner's portfolio against the rules in effect on ``on``.

    Five queries (one for the rules and ticks, four for the records) when ``facts`` is not
    given; pass ``facts`` to evaluate several rule sets over one read of the records.
    """
    on = on or timezone.localdate()
    found = rule_set_in_effect(
        learner=learner, association=association, category=category, kind=kind, on=on
    )
    if found is None:
        return None
    if facts is None:
        facts = portfolio_facts(learner=learner)
    evaluation = evaluate(
        found.rule_set, facts, on=on, standing=standing_for(held, found.ticks), areas=areas
    )
    return PortfolioEvaluation(found.requirement_set, evaluation, facts)


def held_endorsement(*, learner, association, category) -> Endorsement | None:
    return Endorsement.objects.filter(
        learner=learner, association=association, category=category
    ).first()


def endorsements_renewing(*, learner) -> QuerySet[Endorsement]:
    """The endorsements ``learner`` holds that have a renewal date, soonest first."""
    return (
        Endorsement.objects.filter(
            learner=learner, renewal_due__isnull=False, revoked_at__isnull=True
        )
        .select_related("association", "category")
        .order_by("renewal_due", "pk")
    )


def checklist_ticks(*, learner, association) -> QuerySet[ChecklistTick]:
    return ChecklistTick.objects.filter(learner=learner, association=association).order_by(
        "item", "-completed_on", "-pk"
    )


@dataclass
class PortfolioOverview:
    association: Organization
    category: EndorsementCategory
    on: datetime.date
    held: Endorsement | None
    initial: PortfolioEvaluation | None
    renewal: PortfolioEvaluation | None
    ticks: list[ChecklistTick]
    suggestions: list[SuggestedTraining]
    missing_area_names: dict[str, str]
    #: The day the suggestions must be taken by: the renewal due date once endorsed.
    deadline: datetime.date | None = None

    @property
    def missing_hours(self) -> Decimal:
        current = self.current
        if current is None:
            return ZERO
        return sum((a.gap for a in current.evaluation.areas), ZERO)

    @property
    def area_chart(self) -> dict | None:
        """Hours per competency area for the page's chart (``json_script``); the page shows
        the same numbers in a table."""
        current = self.current
        if current is None or not current.evaluation.areas:
            return None
        areas = current.evaluation.areas
        return {
            "labels": [f"{a.area.name} ({a.area.code})" for a in areas],
            "codes": [a.area.code for a in areas],
            "hours": [float(a.hours) for a in areas],
            "required": [float(a.required) if a.required is not None else None for a in areas],
            "hours_label": _("Hours so far"),
            "required_label": _("Minimum for the area"),
            "axis_label": _("Clock hours"),
        }

    @property
    def tracker(self) -> "RenewalTracker | None":
        return renewal_tracker(self.renewal.evaluation) if self.renewal else None

    @property
    def current(self) -> PortfolioEvaluation | None:
        """What the learner works toward now: renewal once endorsed, else the application."""
        return self.renewal if self.held is not None and self.renewal else self.initial


@dataclass(frozen=True)
class RenewalTracker:
    cycle: Cycle | None
    days_left: int
    training: RuleResult | None
    dei: RuleResult | None
    rsc: RuleResult | None
    rsc_topic: RuleResult | None


def renewal_tracker(evaluation: Evaluation) -> RenewalTracker:
    cycle = evaluation.cycle
    return RenewalTracker(
        cycle=cycle,
        days_left=(cycle.due_on - evaluation.on).days if cycle else 0,
        training=evaluation.result_for(RuleKind.TRAINING_HOURS),
        dei=evaluation.result_for(RuleKind.DEI_HOURS),
        rsc=evaluation.result_for(RuleKind.RSC_HOURS),
        rsc_topic=evaluation.result_for(RuleKind.RSC_TOPIC_HOURS),
    )


def portfolio_overview(
    *,
    learner,
    association,
    category,
    on=None,
    suggester: Suggester | None = None,
    target_date: datetime.date | None = None,
) -> PortfolioOverview:
    """Everything the portfolio page shows, in a fixed number of queries: the held
    endorsement, the records once, the category's areas, each rule set with its ticks, the
    ticks list and the suggester's own queries. ``suggester`` is the catalog's (see
    ``suggestions``); without one nothing is suggested."""
    on = on or timezone.localdate()
    held = held_endorsement(learner=learner, association=association, category=category)
    facts = portfolio_facts(learner=learner)
    areas = category_areas(category=category)
    common = {
        "learner": learner,
        "association": association,
        "category": category,
        "on": on,
        "held": held,
        "facts": facts,
        "areas": areas,
    }
    initial = evaluate_portfolio(kind=SetKind.INITIAL, **common)
    renewal = None
    if held is not None:
        renewal = evaluate_portfolio(kind=SetKind.RENEWAL, **common)
    current = renewal or initial
    missing = current.evaluation.missing_area_codes if current else ()
    candidates = suggested_trainings(
        suggester=suggester,
        area_codes=missing,
        category=category,
        association=association,
        limit=SUGGESTION_LIMIT * CANDIDATES_PER_SUGGESTION,
    )
    # Endorsed: the renewal date; working toward a first endorsement: the learner's own date.
    deadline = renewal_deadline(held, renewal) if held is not None else target_date
    suggestions = rank_by_gaps_closed(
        candidates,
        gaps=area_gaps(current.evaluation) if current else {},
        deadline=deadline,
        limit=SUGGESTION_LIMIT,
    )
    names = {a.code: a.name for a in areas}
    return PortfolioOverview(
        association=association,
        category=category,
        on=on,
        held=held,
        initial=initial,
        renewal=renewal,
        ticks=list(checklist_ticks(learner=learner, association=association)),
        suggestions=suggestions,
        missing_area_names={code: names.get(code, code) for code in missing},
        deadline=deadline,
    )


def area_gaps(evaluation: Evaluation) -> dict[str, Decimal | None]:
    """What each missing area lacks in hours; None for an area with no minimum and no
    training yet (any hours close it)."""
    gaps: dict[str, Decimal | None] = {a.area.code: a.gap for a in evaluation.areas if a.gap > 0}
    gaps.update({a.area.code: None for a in evaluation.uncovered_areas})
    return gaps


def renewal_deadline(
    held: Endorsement | None, renewal: PortfolioEvaluation | None
) -> datetime.date | None:
    """The day the learner's missing hours are due: the current cycle's renewal date once
    endorsed. A learner working toward a first endorsement has no date on file."""
    if held is None:
        return None
    if renewal is not None and renewal.evaluation.cycle is not None:
        return renewal.evaluation.cycle.due_on
    return held.renewal_due

"""``evaluate``: a rule set over the learner's facts on a day, and what it answers for each
rule and competency area."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .cycles import Cycle, add_months, cycle_containing, full_years_between
from .facts import (
    SELF_REPORTED,
    TIERS,
    ZERO,
    AreaInfo,
    RecordFact,
    Standing,
    TickFact,
    fits_age_band,
)
from .rule_sets import AppliesTo, Rule, RuleKind, RuleSet


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    required: Decimal
    achieved: Decimal
    start: datetime.date | None
    end: datetime.date
    record_ids: tuple[int, ...] = ()
    hours_by_tier: dict[str, Decimal] = field(default_factory=dict)
    tick: TickFact | None = None

    @property
    def gap(self) -> Decimal:
        return max(self.required - self.achieved, ZERO)

    @property
    def met(self) -> bool:
        return self.achieved >= self.required

    @property
    def verified(self) -> Decimal:
        return sum(
            (hours for tier, hours in self.hours_by_tier.items() if tier != SELF_REPORTED), ZERO
        )

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, int(self.achieved * 100 / self.required))

    @property
    def is_checklist(self) -> bool:
        return self.rule.kind == RuleKind.CHECKLIST


@dataclass(frozen=True)
class AreaProgress:
    area: AreaInfo
    hours: Decimal
    required: Decimal | None = None

    @property
    def gap(self) -> Decimal:
        if self.required is None:
            return ZERO
        return max(self.required - self.hours, ZERO)

    @property
    def covered(self) -> bool:
        return self.hours > 0

    @property
    def percent(self) -> int:
        if self.required:
            return min(100, int(self.hours * 100 / self.required))
        return 100 if self.hours > 0 else 0


@dataclass(frozen=True)
class Evaluation:
    rule_set: RuleSet
    on: datetime.date
    cycle: Cycle | None
    results: tuple[RuleResult, ...]
    areas: tuple[AreaProgress, ...]
    not_applicable: tuple[Rule, ...] = ()
    other_age_band_ids: tuple[int, ...] = ()

    @property
    def met(self) -> bool:
        return all(r.met for r in self.results) and not self.uncovered_areas

    @property
    def unmet(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.met)

    @property
    def uncovered_areas(self) -> tuple[AreaProgress, ...]:
        if not self.rule_set.expects_every_area:
            return ()
        return tuple(a for a in self.areas if a.required is None and not a.covered)

    @property
    def missing_area_codes(self) -> tuple[str, ...]:
        """Areas short of their minimum first, then areas with no training at all."""
        short = [a.area.code for a in self.areas if a.gap > 0]
        return (*short, *(a.area.code for a in self.uncovered_areas))

    def result_for(self, kind: RuleKind) -> RuleResult | None:
        return next((r for r in self.results if r.rule.kind == kind), None)

    @property
    def counted_record_ids(self) -> frozenset[int]:
        return frozenset(i for r in self.results for i in r.record_ids)


def applies(rule: Rule, standing: Standing, on: datetime.date) -> bool:
    if rule.applies_to == AppliesTo.RSC_PROVIDERS:
        return standing.provides_rsc
    if rule.applies_to in (AppliesTo.ENDORSED_UNDER, AppliesTo.ENDORSED_AT_LEAST):
        threshold = rule.condition_years or 0
        known = standing.endorsed_on is not None
        long_enough = known and full_years_between(standing.endorsed_on, on) >= threshold
        if rule.applies_to == AppliesTo.ENDORSED_AT_LEAST:
            return long_enough
        return not long_enough
    return True


def _bounds(rule: Rule, cycle: Cycle | None, on: datetime.date):
    start = cycle.start if cycle else None
    end = min(cycle.end, on) if cycle else on
    if rule.lookback_months:
        earliest = add_months(on, -rule.lookback_months) + datetime.timedelta(days=1)
        start = max(start, earliest) if start else earliest
    return start, end


def _hours_for(rule: Rule, fact: RecordFact) -> Decimal:
    kind = rule.kind
    if kind == RuleKind.RSC_HOURS:
        return fact.hours if fact.is_rsc and not fact.rsc_declined else ZERO
    if kind == RuleKind.RSC_TOPIC_HOURS:
        return fact.hours if fact.rsc_topic and not fact.rsc_declined else ZERO
    if fact.is_rsc:
        return ZERO
    if kind == RuleKind.TRAINING_HOURS:
        return fact.hours
    if kind == RuleKind.DEI_HOURS:
        return fact.hours if fact.dei else ZERO
    if kind == RuleKind.AREA_HOURS:
        return fact.hours_in_area(rule.area_code)
    return ZERO


def _evaluate_hours(rule, facts, start, end) -> RuleResult:
    ids, by_tier, total = [], defaultdict(lambda: ZERO), ZERO
    for fact in facts:
        if fact.completed_on > end or (start is not None and fact.completed_on < start):
            continue
        hours = _hours_for(rule, fact)
        if hours > 0:
            ids.append(fact.record_id)
            by_tier[fact.tier] += hours
            total += hours
    ordered = {tier: by_tier[tier] for tier in TIERS if tier in by_tier}
    return RuleResult(
        rule=rule,
        required=rule.min_hours or ZERO,
        achieved=total,
        start=start,
        end=end,
        record_ids=tuple(ids),
        hours_by_tier=ordered,
    )


def _evaluate_checklist(rule, ticks, start, end) -> RuleResult:
    inside = [
        t
        for t in ticks
        if t.item == rule.checklist_item
        and t.completed_on <= end
        and (start is None or t.completed_on >= start)
    ]
    # The latest tick, preferring one with evidence on the same day.
    tick = max(inside, key=lambda t: (t.completed_on, t.has_evidence), default=None)
    return RuleResult(
        rule=rule,
        required=Decimal(1),
        achieved=Decimal(1) if tick else ZERO,
        start=start,
        end=end,
        tick=tick,
    )


def evaluate(
    rule_set: RuleSet,
    facts: list[RecordFact] | tuple[RecordFact, ...],
    *,
    on: datetime.date,
    standing: Standing | None = None,
    areas: list[AreaInfo] | tuple[AreaInfo, ...] | None = None,
) -> Evaluation:
    """Evaluate ``rule_set`` on ``on`` over the learner's valid records.

    ``areas`` are the competency areas to report progress on (those of the category); when
    omitted, the areas named by the rules and the records are used.
    """
    standing = standing or Standing()
    cycle = cycle_containing(rule_set.window, on, endorsed_on=standing.endorsed_on)
    band = rule_set.category_age_band
    counted = [f for f in facts if fits_age_band(f.age_band, band)]
    other_band = tuple(f.record_id for f in facts if not fits_age_band(f.age_band, band))

    results, skipped = [], []
    for rule in rule_set.rules:
        if not applies(rule, standing, on):
            skipped.append(rule)
            continue
        start, end = _bounds(rule, cycle, on)
        if rule.kind == RuleKind.CHECKLIST:
            results.append(_evaluate_checklist(rule, standing.ticks, start, end))
        else:
            results.append(_evaluate_hours(rule, counted, start, end))

    area_rules = {r.rule.area_code: r for r in results if r.rule.kind == RuleKind.AREA_HOURS}
    if areas is None:
        known = {r.rule.area_code: r.rule.area_name for r in area_rules.values()}
        seen = {code for f in counted for code, _ in f.area_hours}
        areas = [AreaInfo(code, known.get(code, code)) for code in sorted(set(known) | seen)]
    progress = []
    start, end = _bounds(Rule(RuleKind.TRAINING_HOURS), cycle, on)
    for area in areas:
        result = area_rules.get(area.code)
        if result is not None:
            hours, required = result.achieved, result.required
        else:
            hours = sum(
                (
                    f.hours_in_area(area.code)
                    for f in counted
                    if not f.is_rsc
                    and f.completed_on <= end
                    and (start is None or f.completed_on >= start)
                ),
                ZERO,
            )
            required = None
        progress.append(AreaProgress(area=area, hours=hours, required=required))
    return Evaluation(
        rule_set=rule_set,
        on=on,
        cycle=cycle,
        results=tuple(results),
        areas=tuple(progress),
        not_applicable=tuple(skipped),
        other_age_band_ids=other_band,
    )

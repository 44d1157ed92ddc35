"""Endorsement requirements evaluated over plain facts: no Django, no database.

An association's rules are data (``RuleSet`` holding ``Rule`` rows); a learner's records
arrive as ``RecordFact`` values with amendments already applied and revoked records left out.
``evaluate`` answers, for each rule, what is required, what is achieved, the gap, and which
records count, split by verification tier. Every number a rule uses (15 hours, 1 DEI hour,
a calendar year) comes from the rule set, never from this module.

What counts where:

* Training hours are every record that is not an RSC session. DEI hours and area hours are
  subsets of them; "about providing RSC" hours are any record flagged as being about RSC.
* RSC hours are RSC sessions. A session the supervisor declined does not count; one awaiting
  co-signature counts as self-reported and is listed as unverified by ``readiness``.
* Records of every verification tier count; results show the hours per tier.
* A record marked for the other age band only (early-childhood training for an infant
  category, or the reverse) does not count; records for both bands or no band do.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


class RuleKind(StrEnum):
    TRAINING_HOURS = "training_hours"
    AREA_HOURS = "area_hours"
    RSC_HOURS = "rsc_hours"
    RSC_TOPIC_HOURS = "rsc_topic_hours"
    DEI_HOURS = "dei_hours"
    CHECKLIST = "checklist"


RULE_KIND_LABELS = {
    RuleKind.TRAINING_HOURS: "Training hours",
    RuleKind.AREA_HOURS: "Training hours in a competency area",
    RuleKind.RSC_HOURS: "Reflective supervision/consultation (RSC) hours received",
    RuleKind.RSC_TOPIC_HOURS: "Training hours about providing RSC",
    RuleKind.DEI_HOURS: "Diversity, equity and inclusion (DEI) training hours",
    RuleKind.CHECKLIST: "Checklist item",
}
HOUR_KINDS = frozenset(RuleKind) - {RuleKind.CHECKLIST}


class ChecklistItem(StrEnum):
    EDUCATION = "education"
    WORK_EXPERIENCE = "work_experience"
    REFERENCES = "references"
    EXAM = "exam"
    MEMBERSHIP = "membership"
    CODE_OF_ETHICS = "code_of_ethics"


CHECKLIST_LABELS = {
    ChecklistItem.EDUCATION: "Education",
    ChecklistItem.WORK_EXPERIENCE: "Work experience",
    ChecklistItem.REFERENCES: "Reference ratings",
    ChecklistItem.EXAM: "Endorsement exam",
    ChecklistItem.MEMBERSHIP: "Association membership",
    ChecklistItem.CODE_OF_ETHICS: "Code of Ethics signed",
}


class AppliesTo(StrEnum):
    EVERYONE = "everyone"
    RSC_PROVIDERS = "rsc_providers"
    ENDORSED_UNDER = "endorsed_under"
    ENDORSED_AT_LEAST = "endorsed_at_least"


APPLIES_TO_LABELS = {
    AppliesTo.EVERYONE: "Everyone",
    AppliesTo.RSC_PROVIDERS: "Only those who provide RSC",
    AppliesTo.ENDORSED_UNDER: "Endorsed for fewer than N years (or date not known)",
    AppliesTo.ENDORSED_AT_LEAST: "Endorsed for N years or more",
}


class SetKind(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


SET_KIND_LABELS = {SetKind.INITIAL: "Initial application", SetKind.RENEWAL: "Renewal"}


class WindowKind(StrEnum):
    NONE = "none"
    CALENDAR = "calendar"
    ANNIVERSARY = "anniversary"


WINDOW_KIND_LABELS = {
    WindowKind.NONE: "No cycle: everything up to the date counts",
    WindowKind.CALENDAR: "Calendar-year cycle",
    WindowKind.ANNIVERSARY: "Cycle from the endorsement anniversary",
}

# Verification tiers as the records app names them, strongest first.
TIERS = ("platform_verified", "attendance_verified", "provider_attested", "self_reported")
SELF_REPORTED = "self_reported"
AGE_BANDS_FOR_ANY = frozenset({"", "both"})


@dataclass(frozen=True)
class RecordFact:
    """One valid record as the rules see it (amended values, never a revoked record)."""

    record_id: int
    completed_on: datetime.date
    hours: Decimal
    tier: str
    title: str = ""
    is_rsc: bool = False
    rsc_pending: bool = False
    rsc_declined: bool = False
    dei: bool = False
    rsc_topic: bool = False
    age_band: str = ""
    area_hours: tuple[tuple[str, Decimal], ...] = ()
    has_evidence: bool = False

    def hours_in_area(self, code: str) -> Decimal:
        return sum((hours for area, hours in self.area_hours if area == code), ZERO)

    @property
    def is_unverified(self) -> bool:
        return self.tier == SELF_REPORTED and not self.has_evidence


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    min_hours: Decimal | None = None
    area_code: str = ""
    area_name: str = ""
    checklist_item: str = ""
    applies_to: AppliesTo = AppliesTo.EVERYONE
    condition_years: int | None = None
    lookback_months: int | None = None
    note: str = ""
    rule_id: int | None = None
    open_at_submission: bool = False

    @property
    def label(self) -> str:
        if self.kind == RuleKind.AREA_HOURS:
            return f"Training hours in {self.area_name or self.area_code}"
        if self.kind == RuleKind.CHECKLIST:
            return CHECKLIST_LABELS.get(self.checklist_item, self.checklist_item)
        return RULE_KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Window:
    kind: WindowKind = WindowKind.NONE
    cycle_years: int = 1
    due_month: int | None = None
    due_day: int | None = None


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    order: int = 0


@dataclass(frozen=True)
class RuleSet:
    kind: SetKind
    rules: tuple[Rule, ...]
    window: Window = field(default_factory=Window)
    category_code: str = ""
    category_age_band: str = ""
    version: str = ""
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    expects_every_area: bool = False
    set_id: int | None = None


@dataclass(frozen=True)
class ChecklistTick:
    item: str
    completed_on: datetime.date
    has_evidence: bool = False
    tick_id: int | None = None


@dataclass(frozen=True)
class Standing:
    """What the rules need to know about the learner beyond their records."""

    endorsed_on: datetime.date | None = None
    provides_rsc: bool = False
    ticks: tuple[ChecklistTick, ...] = ()


@dataclass(frozen=True)
class Cycle:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    required: Decimal
    achieved: Decimal
    start: datetime.date | None
    end: datetime.date
    record_ids: tuple[int, ...] = ()
    hours_by_tier: dict[str, Decimal] = field(default_factory=dict)
    tick: ChecklistTick | None = None

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


# ---------------------------------------------------------------------------------------------
# Dates


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)).day
    return datetime.date(year, month, min(day.day, last))


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _due_date(window: Window, end: datetime.date) -> datetime.date:
    """The due day nearest the cycle's last day: a 31 January deadline is the January after
    a calendar year, a 15 December deadline falls inside it."""
    if not window.due_month or not window.due_day:
        return end
    candidates = []
    for year in (end.year - 1, end.year, end.year + 1):
        try:
            candidates.append(datetime.date(year, window.due_month, window.due_day))
        except ValueError:  # 29 February in a common year
            candidates.append(datetime.date(year, window.due_month, 28))
    return min(candidates, key=lambda d: (abs((d - end).days), d))


def first_renewal_due(window: Window, endorsed_on: datetime.date) -> datetime.date:
    """When a new endorsement first falls due for renewal: the due date of the first full
    cycle starting on or after the endorsement (an endorsement granted in June of a
    calendar-year cycle renews at the end of the next year; an anniversary cycle's first
    cycle starts on the day itself). Without a cycle, ``cycle_years`` after the day."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.ANNIVERSARY:
        return cycle_containing(window, endorsed_on, endorsed_on=endorsed_on).due_on
    if window.kind == WindowKind.CALENDAR:
        cycle = cycle_containing(window, endorsed_on, endorsed_on=endorsed_on)
        if cycle.start != endorsed_on:
            after = cycle.end + datetime.timedelta(days=1)
            cycle = cycle_containing(window, after, endorsed_on=endorsed_on)
        return cycle.due_on
    return add_years(endorsed_on, years)


def next_renewal_due(
    window: Window, due_on: datetime.date, *, endorsed_on: datetime.date
) -> datetime.date:
    """The due date one cycle after ``due_on``: where a renewal approved for the cycle
    due on ``due_on`` leaves the endorsement."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.NONE:
        return add_years(due_on, years)
    return _due_date(window, add_years(due_on, years))


def renewal_cycle(
    window: Window, due_on: datetime.date, *, endorsed_on: datetime.date | None
) -> Cycle | None:
    """The cycle whose renewal falls due on ``due_on`` (a 31 January deadline belongs to the
    calendar year before it), or None when the rules have no cycle or none ends near it."""
    for day in (due_on, add_months(due_on, -6), add_years(due_on, -1) + datetime.timedelta(1)):
        cycle = cycle_containing(window, day, endorsed_on=endorsed_on)
        if cycle is not None and cycle.due_on == due_on:
            return cycle
    return None


def cycle_containing(
    window: Window, on: datetime.date, *, endorsed_on: datetime.date | None
) -> Cycle | None:
    """The renewal cycle that contains ``on``, or None when the rules have no cycle (or
    an anniversary cycle whose endorsement date is not known)."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.CALENDAR:
        # Multi-year calendar cycles start in the year of endorsement (or this year).
        anchor = endorsed_on.year if endorsed_on else on.year
        start_year = on.year - ((on.year - anchor) % years)
        end = datetime.date(start_year + years - 1, 12, 31)
        return Cycle(datetime.date(start_year, 1, 1), end, _due_date(window, end))
    if window.kind == WindowKind.ANNIVERSARY:
        if endorsed_on is None:
            return None
        k = max(0, full_years_between(endorsed_on, on) // years)
        start = add_years(endorsed_on, k * years)
        end = add_years(endorsed_on, (k + 1) * years) - datetime.timedelta(days=1)
        return Cycle(start, end, _due_date(window, end))
    return None


# ---------------------------------------------------------------------------------------------
# Evaluation


def fits_age_band(record_band: str, category_band: str) -> bool:
    return not category_band or record_band in AGE_BANDS_FOR_ANY or record_band == category_band


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


# ---------------------------------------------------------------------------------------------
# A frozen evaluation


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _hours_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"


def evaluation_as_json(evaluation: Evaluation) -> dict:
    """The evaluation as plain JSON (hours as decimal strings), for a submitted application's
    snapshot: what the rules said on the day, whatever happens to the rules or records later."""
    rule_set = evaluation.rule_set
    cycle = evaluation.cycle
    return {
        "on": evaluation.on.isoformat(),
        "met": evaluation.met,
        "rule_set": {
            "id": rule_set.set_id,
            "kind": str(rule_set.kind),
            "version": rule_set.version,
            "category": rule_set.category_code,
            "effective_from": _iso(rule_set.effective_from),
            "effective_to": _iso(rule_set.effective_to),
        },
        "cycle": (
            {"start": _iso(cycle.start), "end": _iso(cycle.end), "due_on": _iso(cycle.due_on)}
            if cycle
            else None
        ),
        "results": [
            {
                "rule_id": r.rule.rule_id,
                "kind": str(r.rule.kind),
                "label": r.rule.label,
                "area": r.rule.area_code,
                "checklist_item": r.rule.checklist_item,
                "required": _hours_json(r.required),
                "achieved": _hours_json(r.achieved),
                "met": r.met,
                "open_at_submission": r.rule.open_at_submission,
                "start": _iso(r.start),
                "end": _iso(r.end),
                "record_ids": list(r.record_ids),
                "hours_by_tier": {tier: _hours_json(h) for tier, h in r.hours_by_tier.items()},
                "gap_text": describe_gap(r),
            }
            for r in evaluation.results
        ],
        "areas": [
            {
                "code": a.area.code,
                "name": a.area.name,
                "hours": _hours_json(a.hours),
                "required": _hours_json(a.required),
            }
            for a in evaluation.areas
        ],
        "not_applicable": [rule.label for rule in evaluation.not_applicable],
        "missing": missing_in_words(evaluation),
    }


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


# ---------------------------------------------------------------------------------------------
# Words


def format_hours(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
    return text


def _plural_hours(value: Decimal) -> str:
    text = format_hours(value)
    return f"{text} hour" if text == "1" else f"{text} hours"


def describe_gap(result: RuleResult) -> str:
    """What is missing for one rule, in a sentence, or "" when it is met."""
    if result.met:
        return ""
    rule = result.rule
    if rule.kind == RuleKind.CHECKLIST:
        return f"{rule.label}: not ticked yet" + (
            " in this cycle." if result.start is not None else "."
        )
    need = _plural_hours(result.gap)
    what = {
        RuleKind.TRAINING_HOURS: "of training",
        RuleKind.AREA_HOURS: f"of training in {rule.area_name or rule.area_code}",
        RuleKind.RSC_HOURS: "of reflective supervision/consultation",
        RuleKind.RSC_TOPIC_HOURS: "of training about providing RSC",
        RuleKind.DEI_HOURS: "of DEI training",
    }[rule.kind]
    when = ""
    if rule.lookback_months:
        when = f" within the last {rule.lookback_months} months"
    elif result.start is not None:
        when = " in this cycle"
    return (
        f"{need} more {what}{when} ({format_hours(result.achieved)} of "
        f"{format_hours(result.required)} so far)."
    )


def describe_area(progress: AreaProgress) -> str:
    if progress.gap > 0:
        return (
            f"{_plural_hours(progress.gap)} more in {progress.area.name} "
            f"({format_hours(progress.hours)} of {format_hours(progress.required)})."
        )
    if not progress.covered:
        return f"No training yet in {progress.area.name}."
    return ""


def missing_in_words(evaluation: Evaluation) -> list[str]:
    """Every unmet rule, then every area short of hours that no unmet rule already names."""
    lines = [describe_gap(r) for r in evaluation.unmet]
    named = {r.rule.area_code for r in evaluation.unmet if r.rule.kind == RuleKind.AREA_HOURS}
    short = [a for a in evaluation.areas if a.gap > 0 and a.area.code not in named]
    lines += [describe_area(a) for a in (*short, *evaluation.uncovered_areas)]
    return lines


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
                        f"{result.rule.label}: ticked on {result.tick.completed_on:%Y-%m-%d} "
                        "with no evidence uploaded.",
                    )
                )
            continue
        self_reported = result.hours_by_tier.get(SELF_REPORTED, ZERO)
        if result.met and self_reported and result.verified < result.required:
            items.append(
                ReadinessItem(
                    "unverified",
                    f"{result.rule.label}: {format_hours(self_reported)} of the "
                    f"{format_hours(result.achieved)} hours counted are self-reported.",
                )
            )
    counted = evaluation.counted_record_ids
    pending = [by_id[i] for i in sorted(counted) if i in by_id and by_id[i].rsc_pending]
    if pending:
        hours = sum((f.hours for f in pending), ZERO)
        items.append(
            ReadinessItem(
                "unverified",
                f"{len(pending)} RSC session{'s' if len(pending) != 1 else ''} "
                f"({_plural_hours(hours)}) still awaiting your supervisor's co-signature.",
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
                f"“{fact.title}” ({fact.completed_on:%Y-%m-%d}) is self-reported with no "
                "evidence attached.",
            )
        )
    if len(bare) > MAX_LISTED_RECORDS:
        more = len(bare) - MAX_LISTED_RECORDS
        items.append(
            ReadinessItem(
                "unverified",
                f"{more} more self-reported record{'s' if more != 1 else ''} with no evidence "
                "attached (see My records).",
            )
        )
    return items

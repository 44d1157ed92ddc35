"""Portfolio standing of a center's staff, for the center's dashboard and export.

The center decides what consent allows and passes it in: ``record_ids`` are
the records of contracted trainings everyone on the roster shares by joining; ``portfolio``
names the people who also consent to share their whole portfolio, with the association and
category their profile targets. Nothing else is read.

The same rules as the learner's own portfolio page
(``lms.endorsement.selectors.portfolio.evaluate_portfolio``), evaluated for many people at
once in a fixed number of queries: areas and their categories, records with area hours and
amendments (three), and when someone shares their portfolio the requirement sets in effect,
their rules, checklist ticks and held endorsements.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from centers.values import Readiness, Standing, StandingReport, Target
from lms.competencies.models import localized
from lms.endorsement.models import ChecklistTick, Endorsement, RequirementRule, RequirementSet
from lms.endorsement.rules.evaluation import evaluate
from lms.endorsement.rules.facts import AreaInfo, RecordFact, TickFact
from lms.endorsement.rules.rule_sets import SetKind
from lms.endorsement.rules.words import missing_in_words
from lms.endorsement.selectors.facts import record_fact, standing_for
from lms.endorsement.selectors.requirements import to_rule_set
from lms.records.facts import facts_for
from lms.records.models import RecordAreaHours, RecordFacilitator, RecordStatus, TrainingRecord
from lms.records.selectors.transcript import areas_in_effect


def _areas() -> tuple[list[AreaInfo], dict[int, list[AreaInfo]]]:
    """The framework's areas, and per category the areas its guidelines include (all areas
    when the framework links none to it), as ``selectors.requirements.category_areas``
    chooses them."""
    rows = areas_in_effect().values_list(
        "code", "name", "translated_names", "order", "sub_areas__categories"
    )
    areas: dict[str, AreaInfo] = {}
    linked: dict[int, set[str]] = defaultdict(set)
    for code, name, translated_names, order, category_id in rows:
        # Names in the reader's language (the framework's translated names), codes as they are.
        areas.setdefault(code, AreaInfo(code, localized(name, translated_names), order))
        if category_id is not None:
            linked[category_id].add(code)
    ordered = sorted(areas.values(), key=lambda a: (a.order, a.code))
    chosen = {cid: [a for a in ordered if a.code in codes] for cid, codes in linked.items()}
    return ordered, chosen


def _records(*, learner_ids, record_ids):
    # Facilitators are never shown here: an empty prefetch keeps ``facts_for`` from asking.
    return (
        TrainingRecord.objects.non_polymorphic()
        .filter(status=RecordStatus.VALID)
        .filter(Q(learner_id__in=learner_ids) | Q(pk__in=record_ids))
        .annotate(
            rsc_cosign_status=F("rscsession__cosign_status"),
            external_evidence=F("externaltraining__evidence"),
        )
        .prefetch_related(
            Prefetch("area_hours", queryset=RecordAreaHours.objects.select_related("area")),
            Prefetch("facilitators", queryset=RecordFacilitator.objects.none()),
            "amendments",
        )
        .order_by("learner_id", "completed_on", "pk")
    )


def _rule_sets(targets, on) -> dict[tuple, tuple]:
    """(association, category, kind) -> (RequirementSet, RuleSet) in effect on ``on``."""
    pairs = Q(pk__in=[])
    for association_id, category_id in targets:
        pairs |= Q(association_id=association_id, category_id=category_id)
    sets = (
        RequirementSet.objects.filter(pairs)
        .in_effect(on)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "rules",
                queryset=RequirementRule.objects.select_related("area").order_by(
                    "sort_order", "pk"
                ),
            )
        )
        .order_by("-effective_from", "-pk")
    )
    found = {}
    for requirement_set in sets:
        key = (requirement_set.association_id, requirement_set.category_id, requirement_set.kind)
        if key not in found:
            found[key] = (
                requirement_set,
                to_rule_set(requirement_set, requirement_set.rules.all()),
            )
    return found


def _latest_ticks(learner_ids, on) -> dict[tuple[int, int], tuple[TickFact, ...]]:
    ticks = ChecklistTick.objects.filter(learner_id__in=learner_ids, completed_on__lte=on).order_by(
        "learner_id", "association_id", "item", "-completed_on", "-pk"
    )
    latest: dict[tuple[int, int, str], TickFact] = {}
    for tick in ticks:
        latest.setdefault((tick.learner_id, tick.association_id, tick.item), tick.as_tick())
    grouped = defaultdict(list)
    for (learner_id, association_id, _), tick in latest.items():
        grouped[(learner_id, association_id)].append(tick)
    return {key: tuple(value) for key, value in grouped.items()}


def _readiness(*, learner_id, target, held, rule_sets, ticks, facts, areas, on) -> Readiness | None:
    key = (target.association_id, target.category_id)
    found = None
    if held is not None:
        found = rule_sets.get((*key, SetKind.RENEWAL))
    if found is None:
        held = None
        found = rule_sets.get((*key, SetKind.INITIAL))
    if found is None:
        return None
    requirement_set, rule_set = found
    evaluation = evaluate(
        rule_set,
        facts,
        on=on,
        standing=standing_for(held, ticks.get((learner_id, target.association_id), ())),
        areas=areas,
    )
    return Readiness(
        category_code=requirement_set.category.code,
        category_name=requirement_set.category.localized_name,
        kind=str(rule_set.kind),
        met=evaluation.met,
        rules_met=sum(1 for r in evaluation.results if r.met),
        rules_total=len(evaluation.results),
        missing=tuple(missing_in_words(evaluation)),
    )


def staff_standing(
    *, portfolio: dict[int, Target], record_ids, on: datetime.date | None = None
) -> StandingReport:
    """Hours per competency area for every learner whose records are named or who shares
    their portfolio; target, readiness and renewal only for those in ``portfolio``."""
    on = on or timezone.localdate()
    areas, category_areas = _areas()
    portfolio_ids = list(portfolio)
    hours: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    facts: dict[int, list[RecordFact]] = defaultdict(list)
    for record in _records(learner_ids=portfolio_ids, record_ids=list(record_ids)):
        record_facts = facts_for(record)
        if record.learner_id in portfolio:
            facts[record.learner_id].append(record_fact(record, record_facts))
        if record.rsc_cosign_status is not None:
            continue
        for area in record_facts.area_hours:
            hours[record.learner_id][area.code] += area.hours

    by_learner = {learner_id: Standing(hours_by_area=dict(h)) for learner_id, h in hours.items()}
    targets = {
        (t.association_id, t.category_id)
        for t in portfolio.values()
        if t.association_id and t.category_id
    }
    if portfolio_ids:
        rule_sets = _rule_sets(targets, on) if targets else {}
        ticks = _latest_ticks(portfolio_ids, on) if targets else {}
        held: dict[int, list[Endorsement]] = defaultdict(list)
        for endorsement in Endorsement.objects.filter(
            learner_id__in=portfolio_ids, revoked_at__isnull=True
        ).select_related("category"):
            held[endorsement.learner_id].append(endorsement)
        for learner_id, target in portfolio.items():
            mine = held.get(learner_id, [])
            due = [e.renewal_due for e in mine if e.renewal_due is not None]
            targeted = next(
                (
                    e
                    for e in mine
                    if (e.association_id, e.category_id)
                    == (target.association_id, target.category_id)
                ),
                None,
            )
            readiness = None
            if target.association_id and target.category_id:
                readiness = _readiness(
                    learner_id=learner_id,
                    target=target,
                    held=targeted,
                    rule_sets=rule_sets,
                    ticks=ticks,
                    facts=facts.get(learner_id, []),
                    areas=category_areas.get(target.category_id) or areas,
                    on=on,
                )
            by_learner[learner_id] = Standing(
                hours_by_area=dict(hours.get(learner_id, {})),
                readiness=readiness,
                renewal_due=min(due) if due else None,
            )
    return StandingReport(areas=tuple((a.code, a.name) for a in areas), by_learner=by_learner)

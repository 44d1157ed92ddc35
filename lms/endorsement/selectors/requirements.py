"""The rules in effect: an association's requirement set for a category on a day, as
``rules`` data with the learner's latest checklist ticks; the competency areas of a category;
the associations and categories a learner chooses from.

Query budget: ``rule_set_in_effect`` is one query (the rules of the version in effect, its
set and category joined, each checklist rule with the learner's latest tick as subqueries).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from lms.competencies.models import EndorsementCategory, SubArea
from lms.organizations.models import Organization, OrganizationKind
from lms.records.selectors.transcript import areas_in_effect

from ..models import ChecklistTick, RequirementRule, RequirementSet
from ..rules.facts import AreaInfo, TickFact
from ..rules.rule_sets import RuleSet, SetKind


def requirement_sets_for(
    *, association, category, kind: str | None = None
) -> QuerySet[RequirementSet]:
    qs = RequirementSet.objects.filter(association=association, category=category)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "-effective_from")


def to_rule_set(requirement_set: RequirementSet, rule_rows: Iterable[RequirementRule]):
    """The plain-data form of a requirement set for ``evaluate``."""
    category = requirement_set.category
    return RuleSet(
        kind=SetKind(requirement_set.kind),
        rules=tuple(row.as_rule() for row in rule_rows),
        window=requirement_set.window,
        category_code=category.code,
        category_age_band=category.age_band,
        version=requirement_set.version,
        effective_from=requirement_set.effective_from,
        effective_to=requirement_set.effective_to,
        expects_every_area=requirement_set.expects_every_area,
        set_id=requirement_set.pk,
    )


@dataclass(frozen=True)
class RulesInEffect:
    requirement_set: RequirementSet
    rule_set: RuleSet
    ticks: tuple[TickFact, ...]


def rule_set_in_effect(
    *, learner, association, category, kind: str, on: datetime.date
) -> RulesInEffect | None:
    """The rules in effect and the learner's latest tick for each checklist rule: one query
    (two when the version in effect has no rules at all)."""
    version = (
        requirement_sets_for(association=association, category=category, kind=kind)
        .in_effect(on)
        .values("pk")[:1]
    )
    latest_tick = ChecklistTick.objects.filter(
        learner=learner,
        association=association,
        item=OuterRef("checklist_item"),
        completed_on__lte=on,
    ).order_by("-completed_on", "-pk")
    rows = list(
        RequirementRule.objects.filter(requirement_set=Subquery(version))
        .select_related("requirement_set__category", "area")
        .annotate(
            tick_pk=Subquery(latest_tick.values("pk")[:1]),
            tick_on=Subquery(latest_tick.values("completed_on")[:1]),
            tick_evidence=Subquery(latest_tick.values("evidence")[:1]),
        )
        .order_by("sort_order", "pk")
    )
    if rows:
        requirement_set = rows[0].requirement_set
    else:
        requirement_set = (
            requirement_sets_for(association=association, category=category, kind=kind)
            .in_effect(on)
            .select_related("category")
            .first()
        )
        if requirement_set is None:
            return None
    ticks = tuple(
        TickFact(
            item=row.checklist_item,
            completed_on=row.tick_on,
            has_evidence=bool(row.tick_evidence),
            tick_id=row.tick_pk,
        )
        for row in rows
        if row.tick_pk is not None
    )
    return RulesInEffect(requirement_set, to_rule_set(requirement_set, rows), ticks)


def category_areas(*, category) -> list[AreaInfo]:
    """The competency areas whose sub-areas the category's guidelines include (all areas when
    the framework links none to it), in one query."""
    linked = SubArea.objects.filter(area=OuterRef("pk"), categories=category)
    areas = list(areas_in_effect().annotate(for_category=Exists(linked)))
    chosen = [a for a in areas if a.for_category] or areas
    return [AreaInfo(a.code, a.localized_name, a.order) for a in chosen]


def association_choices() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION).order_by("name")


def category_choices() -> QuerySet[EndorsementCategory]:
    return EndorsementCategory.objects.order_by("age_band", "order", "code")

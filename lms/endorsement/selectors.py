"""Reads for the endorsement portfolio: the rules in effect, the learner's record facts, the
evaluation, training suggestions and the application export.

Query budget: ``rule_set_in_effect`` is one query (the rules of the version in effect, its
set and category joined, each checklist rule with the learner's latest tick as
subqueries); ``portfolio_facts`` is four (records, area hours, facilitators, amendments)
whatever the number of records. ``evaluate_portfolio`` is therefore five queries.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.module_loading import import_string

from lms.accounts.selectors import active_consents, consenting_user_ids
from lms.competencies.models import EndorsementCategory, SubArea
from lms.organizations.models import Organization, OrganizationKind, Role
from lms.organizations.permissions import Action
from lms.organizations.selectors import members_with_role, organizations_where, user_can
from lms.records.facts import RecordFacts, describe_changes, facts_for
from lms.records.links import verification_url
from lms.records.models import CosignStatus, RecordAmendment, RSCSession, TrainingRecord
from lms.records.selectors.records import learner_records, with_facts
from lms.records.selectors.transcript import areas_in_effect

from . import rules
from .models import (
    ACTIVE_REFERENCES,
    UNDER_REVIEW,
    Application,
    ApplicationExclusion,
    ApplicationKind,
    ApplicationStatus,
    ApplicationSubmission,
    ChecklistTick,
    Endorsement,
    EndorsementSource,
    RaterRelationship,
    ReferenceRequest,
    ReferenceStatus,
    RequirementRule,
    RequirementSet,
    Review,
)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Rules in effect


def requirement_sets_for(
    *, association, category, kind: str | None = None
) -> QuerySet[RequirementSet]:
    qs = RequirementSet.objects.filter(association=association, category=category)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "-effective_from")


def requirement_set_in_effect(
    *, association, category, kind: str, on=None
) -> RequirementSet | None:
    """The version of the rules in effect on ``on`` (today by default), rules prefetched."""
    on = on or timezone.localdate()
    return (
        requirement_sets_for(association=association, category=category, kind=kind)
        .in_effect(on)
        .select_related("association", "category")
        .prefetch_related("rules__area")
        .first()
    )


def to_rule_set(requirement_set: RequirementSet, rule_rows: Iterable[RequirementRule]):
    """The plain-data form of a requirement set for ``rules.evaluate``."""
    category = requirement_set.category
    return rules.RuleSet(
        kind=rules.SetKind(requirement_set.kind),
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
    rule_set: rules.RuleSet
    ticks: tuple[rules.ChecklistTick, ...]


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
        rules.ChecklistTick(
            item=row.checklist_item,
            completed_on=row.tick_on,
            has_evidence=bool(row.tick_evidence),
            tick_id=row.tick_pk,
        )
        for row in rows
        if row.tick_pk is not None
    )
    return RulesInEffect(requirement_set, to_rule_set(requirement_set, rows), ticks)


# ---------------------------------------------------------------------------------------------
# The learner's records as facts


def _record_fact(record: TrainingRecord, facts: RecordFacts) -> rules.RecordFact:
    cosign = record.rsc_cosign_status
    return rules.RecordFact(
        record_id=record.pk,
        completed_on=facts.completed_on,
        hours=facts.duration_hours,
        tier=record.verification_tier,
        title=facts.title,
        is_rsc=cosign is not None,
        rsc_pending=cosign == CosignStatus.PENDING,
        rsc_declined=cosign == CosignStatus.DECLINED,
        dei=facts.dei,
        rsc_topic=facts.rsc_topic,
        age_band=facts.age_band,
        area_hours=tuple((a.code, a.hours) for a in facts.area_hours),
        has_evidence=bool(record.external_evidence),
    )


def portfolio_records(*, learner, include_revoked: bool) -> QuerySet[TrainingRecord]:
    """The learner's records with what the portfolio and exports read beyond the facts."""
    return learner_records(learner=learner, include_revoked=include_revoked).annotate(
        external_evidence=F("externaltraining__evidence"),
        rsc_supervisor_endorsement=F("rscsession__supervisor_endorsement"),
    )


def portfolio_facts(*, learner) -> list[rules.RecordFact]:
    """Every valid record of the learner as ``rules.RecordFact`` (amended values): four
    queries whatever the number of records."""
    return [
        _record_fact(record, facts_for(record))
        for record in portfolio_records(learner=learner, include_revoked=False)
    ]


def category_areas(*, category) -> list[rules.AreaInfo]:
    """The competency areas whose sub-areas the category's guidelines include (all areas when
    the framework links none to it), in one query."""
    linked = SubArea.objects.filter(area=OuterRef("pk"), categories=category)
    areas = list(areas_in_effect().annotate(for_category=Exists(linked)))
    chosen = [a for a in areas if a.for_category] or areas
    return [rules.AreaInfo(a.code, a.name, a.order) for a in chosen]


def standing_for(
    held: Endorsement | None, ticks: tuple[rules.ChecklistTick, ...] = ()
) -> rules.Standing:
    if held is None:
        return rules.Standing(ticks=ticks)
    return rules.Standing(endorsed_on=held.endorsed_on, provides_rsc=held.provides_rsc, ticks=ticks)


@dataclass(frozen=True)
class PortfolioEvaluation:
    requirement_set: RequirementSet
    evaluation: rules.Evaluation
    facts: list[rules.RecordFact]

    @property
    def missing(self) -> list[str]:
        return rules.missing_in_words(self.evaluation)

    @property
    def readiness(self) -> list[rules.ReadinessItem]:
        return rules.readiness(self.evaluation, self.facts)


def evaluate_portfolio(
    *,
    learner,
    association,
    category,
    kind: str,
    on: datetime.date | None = None,
    held: Endorsement | None = None,
    facts: list[rules.RecordFact] | None = None,
    areas: list[rules.AreaInfo] | None = None,
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
    evaluation = rules.evaluate(
        found.rule_set, facts, on=on, standing=standing_for(held, found.ticks), areas=areas
    )
    return PortfolioEvaluation(found.requirement_set, evaluation, facts)


# ---------------------------------------------------------------------------------------------
# Trainings that would fill the gaps (the catalog answers through a setting, see README)


@dataclass(frozen=True)
class SuggestedTraining:
    title: str
    url: str
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    provider: str = ""
    total_hours: Decimal | None = None

    def fills(self, area_codes: Iterable[str]) -> list[tuple[str, Decimal]]:
        return [(c, self.hours_by_area[c]) for c in area_codes if c in self.hours_by_area]


def no_suggestions(**kwargs) -> list[dict]:
    """The default suggester: Attune without a catalog suggests nothing."""
    return []


@lru_cache(maxsize=4)
def _suggester(path: str):
    return import_string(path) if path else no_suggestions


def _coerce_suggestion(raw) -> SuggestedTraining | None:
    if not isinstance(raw, Mapping):
        return None
    title, url = str(raw.get("title") or "").strip(), str(raw.get("url") or "").strip()
    if not title or not (url.startswith(("http://", "https://", "/"))):
        return None
    try:
        by_area = {
            str(code): Decimal(str(hours))
            for code, hours in (raw.get("hours_by_area") or {}).items()
        }
        total = raw.get("total_hours")
        total = Decimal(str(total)) if total not in (None, "") else None
    except (InvalidOperation, AttributeError, TypeError, ValueError):
        return None
    return SuggestedTraining(
        title=title,
        url=url,
        hours_by_area=by_area,
        provider=str(raw.get("provider") or ""),
        total_hours=total,
    )


def suggested_trainings(
    *, area_codes: Iterable[str], category=None, association=None, limit: int = 5
) -> list[SuggestedTraining]:
    """Trainings that cover ``area_codes``, from the function named by the setting
    ``ENDORSEMENT_TRAINING_SUGGESTER``. It is called with keyword arguments ``area_codes``
    (list of str), ``category`` (an ``EndorsementCategory`` or None), ``association`` (an
    association ``Organization`` or None) and ``limit``, and returns dicts with ``title``,
    ``url``, ``hours_by_area`` ({code: hours}), optionally ``provider`` and ``total_hours``.
    Suggestions are a help, never a reason for the portfolio to fail: errors are logged and
    malformed entries dropped."""
    codes = [str(c) for c in area_codes]
    if not codes or limit <= 0:
        return []
    path = getattr(settings, "ENDORSEMENT_TRAINING_SUGGESTER", "")
    try:
        raw = _suggester(path)(
            area_codes=codes, category=category, association=association, limit=limit
        )
        suggestions = [s for s in map(_coerce_suggestion, raw or []) if s is not None]
    except Exception:
        logger.exception("Training suggester %r failed for areas %s", path, codes)
        return []
    return suggestions[:limit]


# ---------------------------------------------------------------------------------------------
# Choices and the portfolio page


def association_choices() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION).order_by("name")


def category_choices() -> QuerySet[EndorsementCategory]:
    return EndorsementCategory.objects.order_by("age_band", "order", "code")


def held_endorsement(*, learner, association, category) -> Endorsement | None:
    return Endorsement.objects.filter(
        learner=learner, association=association, category=category
    ).first()


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

    @property
    def tracker(self) -> "RenewalTracker | None":
        return renewal_tracker(self.renewal.evaluation) if self.renewal else None

    @property
    def current(self) -> PortfolioEvaluation | None:
        """What the learner works toward now: renewal once endorsed, else the application."""
        return self.renewal if self.held is not None and self.renewal else self.initial


SUGGESTION_LIMIT = 5


@dataclass(frozen=True)
class RenewalTracker:
    cycle: rules.Cycle | None
    days_left: int
    training: rules.RuleResult | None
    dei: rules.RuleResult | None
    rsc: rules.RuleResult | None
    rsc_topic: rules.RuleResult | None


def renewal_tracker(evaluation: rules.Evaluation) -> RenewalTracker:
    cycle = evaluation.cycle
    return RenewalTracker(
        cycle=cycle,
        days_left=(cycle.due_on - evaluation.on).days if cycle else 0,
        training=evaluation.result_for(rules.RuleKind.TRAINING_HOURS),
        dei=evaluation.result_for(rules.RuleKind.DEI_HOURS),
        rsc=evaluation.result_for(rules.RuleKind.RSC_HOURS),
        rsc_topic=evaluation.result_for(rules.RuleKind.RSC_TOPIC_HOURS),
    )


def portfolio_overview(*, learner, association, category, on=None) -> PortfolioOverview:
    """Everything the portfolio page shows, in a fixed number of queries: the held
    endorsement, the records once, the category's areas, each rule set with its ticks, the
    ticks list and the suggester's own queries."""
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
    initial = evaluate_portfolio(kind=rules.SetKind.INITIAL, **common)
    renewal = None
    if held is not None:
        renewal = evaluate_portfolio(kind=rules.SetKind.RENEWAL, **common)
    current = renewal or initial
    missing = current.evaluation.missing_area_codes if current else ()
    suggestions = suggested_trainings(
        area_codes=missing, category=category, association=association, limit=SUGGESTION_LIMIT
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
    )


# ---------------------------------------------------------------------------------------------
# The application export


@dataclass(frozen=True)
class ExportLine:
    record: TrainingRecord
    facts: RecordFacts
    is_rsc: bool
    verification_url: str

    @property
    def is_revoked(self) -> bool:
        return self.record.is_revoked


@dataclass
class ExportData:
    learner: object
    generated_at: datetime.datetime
    since: datetime.date | None
    until: datetime.date | None
    category: EndorsementCategory | None
    training: list[ExportLine]
    rsc: list[ExportLine]

    def _valid(self, lines):
        return [line for line in lines if not line.is_revoked]

    @property
    def totals(self) -> dict:
        training = self._valid(self.training)
        rsc = self._valid(self.rsc)
        by_area: dict[str, Decimal] = {}
        for line in training:
            for area in line.facts.area_hours:
                by_area[area.code] = by_area.get(area.code, Decimal(0)) + area.hours
        return {
            "training_hours": sum((x.facts.duration_hours for x in training), Decimal(0)),
            "dei_hours": sum((x.facts.duration_hours for x in training if x.facts.dei), Decimal(0)),
            "rsc_topic_hours": sum(
                (x.facts.duration_hours for x in training + rsc if x.facts.rsc_topic), Decimal(0)
            ),
            "rsc_hours": sum((x.facts.duration_hours for x in rsc), Decimal(0)),
            "rsc_hours_cosigned": sum(
                (
                    x.facts.duration_hours
                    for x in rsc
                    if x.record.rsc_cosign_status == CosignStatus.CONFIRMED
                ),
                Decimal(0),
            ),
            "hours_by_area": by_area,
            "records": len(training),
            "rsc_sessions": len(rsc),
        }


def export_data(
    *,
    learner,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    category: EndorsementCategory | None = None,
) -> ExportData:
    """The learner's training entries and RSC log for an application, oldest first.

    Every record in the date range is listed once with its amended values, revoked ones
    included and marked (their hours are left out of the totals). Filtering by category
    leaves out records marked for the other age band only. Dates are compared on the amended
    date, so the filter runs over the facts (four queries whatever the number of records).
    """
    training, rsc = [], []
    records = portfolio_records(learner=learner, include_revoked=True)
    band = category.age_band if category else ""
    ordered = sorted(records, key=lambda r: (facts_for(r).completed_on, r.pk))
    for record in ordered:
        facts = facts_for(record)
        if since and facts.completed_on < since:
            continue
        if until and facts.completed_on > until:
            continue
        if not rules.fits_age_band(facts.age_band, band):
            continue
        is_rsc = record.rsc_cosign_status is not None
        line = ExportLine(record, facts, is_rsc, verification_url(record))
        (rsc if is_rsc else training).append(line)
    return ExportData(
        learner=learner,
        generated_at=timezone.now(),
        since=since,
        until=until,
        category=category,
        training=training,
        rsc=rsc,
    )


# ---------------------------------------------------------------------------------------------
# Applications: the live draft, the frozen submission and what changed since


@dataclass(frozen=True)
class ApplicationEntry:
    """A record as an application lists it."""

    line: ExportLine
    counted: bool
    exclusion: ApplicationExclusion | None = None

    @property
    def record(self) -> TrainingRecord:
        return self.line.record

    @property
    def facts(self) -> RecordFacts:
        return self.line.facts


@dataclass
class ApplicationDraft:
    """An application's sections computed from the learner's records as they are now."""

    application: Application
    requirement_set: RequirementSet | None
    evaluation: rules.Evaluation | None
    training: list[ApplicationEntry]
    rsc: list[ApplicationEntry]
    excluded: list[ApplicationEntry]
    references: list[ReferenceRequest]
    facts: list[rules.RecordFact]

    @property
    def open_items(self) -> tuple[list[str], list[str]]:
        """``(blocking, allowed)``: what stops a submission, and what may stay open."""
        if self.evaluation is None:
            return ["There are no rules in effect for this application."], []
        blocking, allowed = rules.open_items(self.evaluation)
        blocking += reference_gaps(requirement_set=self.requirement_set, references=self.references)
        return blocking, allowed

    @property
    def unverified(self) -> list[str]:
        """What reviewers will see is unverified (self-reported, awaiting co-signature)."""
        if self.evaluation is None:
            return []
        items = rules.readiness(self.evaluation, self.facts)
        return [item.text for item in items if item.status == "unverified"]

    @property
    def checklist(self) -> list[rules.RuleResult]:
        if self.evaluation is None:
            return []
        return [
            r
            for r in self.evaluation.results
            if r.is_checklist and r.rule.checklist_item != rules.ChecklistItem.REFERENCES
        ]


def active_references(references) -> list[ReferenceRequest]:
    return [r for r in references if r.status in ACTIVE_REFERENCES]


def reference_gaps(*, requirement_set, references) -> list[str]:
    """What the raters named so far still lack, in sentences."""
    if requirement_set is None:
        return []
    active = active_references(references)
    gaps = []
    needed = requirement_set.raters_required
    if len(active) < needed:
        more = needed - len(active)
        gaps.append(f"Name {more} more reference rater{'s' if more != 1 else ''}.")
    if requirement_set.supervisor_rater_required and not any(
        r.relationship == RaterRelationship.CURRENT_SUPERVISOR for r in active
    ):
        gaps.append("One of your raters must be your current supervisor.")
    return gaps


def evaluation_day(application: Application, requirement_set=None, *, today=None):
    """The day an application is evaluated on: today, or for a renewal applied for after its
    cycle ended (a January deadline), the last day of the cycle being renewed."""
    today = today or timezone.localdate()
    endorsement = application.endorsement
    if application.kind != ApplicationKind.RENEWAL or endorsement is None:
        return today
    if requirement_set is None or endorsement.renewal_due is None:
        return today
    cycle = rules.renewal_cycle(
        requirement_set.window, endorsement.renewal_due, endorsed_on=endorsement.endorsed_on
    )
    return min(today, cycle.end) if cycle else today


def applications_for(*, learner) -> QuerySet[Application]:
    return (
        Application.objects.filter(learner=learner)
        .select_related("association", "category", "endorsement")
        .order_by("-created_at", "-id")
    )


def application_for_learner(*, learner, pk) -> Application | None:
    return applications_for(learner=learner).filter(pk=pk).first()


def application_draft(*, application: Application, today=None) -> ApplicationDraft:
    """The application's sections from the learner's records now: a record issued after the
    draft was started is in it with no action. Nine queries whatever the number of records."""
    learner = application.learner
    association, category = application.association, application.category
    current = (
        requirement_sets_for(association=association, category=category, kind=application.kind)
        .in_effect(today or timezone.localdate())
        .first()
    )
    on = evaluation_day(application, current, today=today)
    found = None
    if current is not None:
        found = rule_set_in_effect(
            learner=learner,
            association=association,
            category=category,
            kind=application.kind,
            on=on,
        )
    requirement_set = found.requirement_set if found else None
    exclusions = {e.record_id: e for e in application.exclusions.all()}
    references = list(application.references.all())
    lines = []
    for record in portfolio_records(learner=learner, include_revoked=False):
        is_rsc = record.rsc_cosign_status is not None
        lines.append(ExportLine(record, facts_for(record), is_rsc, verification_url(record)))
    facts = [_record_fact(line.record, line.facts) for line in lines]
    counted_facts = [f for f in facts if f.record_id not in exclusions]
    evaluation = None
    if found is not None:
        ticks = tuple(t for t in found.ticks if t.item != rules.ChecklistItem.REFERENCES)
        ticks += _reference_tick(requirement_set, references, on)
        evaluation = rules.evaluate(
            found.rule_set,
            counted_facts,
            on=on,
            standing=standing_for(application.endorsement, ticks),
            areas=category_areas(category=category),
        )
    counted = evaluation.counted_record_ids if evaluation else frozenset()
    cycle = evaluation.cycle if evaluation else None
    training, rsc, excluded = [], [], []
    for line in sorted(lines, key=lambda x: (x.facts.completed_on, x.record.pk), reverse=True):
        exclusion = exclusions.get(line.record.pk)
        entry = ApplicationEntry(line, line.record.pk in counted, exclusion)
        if exclusion is not None:
            excluded.append(entry)
        elif application.kind == ApplicationKind.RENEWAL and cycle is not None:
            if cycle.contains(line.facts.completed_on):
                (rsc if line.is_rsc else training).append(entry)
        else:
            (rsc if line.is_rsc else training).append(entry)
    return ApplicationDraft(
        application=application,
        requirement_set=requirement_set,
        evaluation=evaluation,
        training=training,
        rsc=rsc,
        excluded=excluded,
        references=references,
        facts=counted_facts,
    )


def _reference_tick(requirement_set, references, on) -> tuple[rules.ChecklistTick, ...]:
    """In an application the references item is met by the raters named in it."""
    if reference_gaps(requirement_set=requirement_set, references=references):
        return ()
    return (rules.ChecklistTick(item=rules.ChecklistItem.REFERENCES, completed_on=on),)


@dataclass(frozen=True)
class RecordChange:
    """What happened to a submitted record after the submission."""

    revoked_at: datetime.datetime | None
    amendments: tuple

    @property
    def lines(self) -> list[str]:
        out = [
            f"Amended on {a.amended_at:%Y-%m-%d}: " + "; ".join(describe_changes(a.changes))
            for a in self.amendments
        ]
        if self.revoked_at:
            out.append(f"Revoked on {self.revoked_at:%Y-%m-%d}.")
        return out


def changes_since(*, submission: ApplicationSubmission) -> dict[int, RecordChange]:
    """Records of a submission amended or revoked after it was submitted, by record id: the
    submission itself never changes, reviewers see these as flags. Two queries."""
    pks = [row["pk"] for row in submission.records]
    if not pks:
        return {}
    revoked = dict(
        TrainingRecord.objects.non_polymorphic()
        .filter(pk__in=pks, revoked_at__gt=submission.submitted_at)
        .values_list("pk", "revoked_at")
    )
    amended: dict[int, list] = {}
    for amendment in RecordAmendment.objects.filter(
        record_id__in=pks, amended_at__gt=submission.submitted_at
    ).order_by("amended_at", "pk"):
        amended.setdefault(amendment.record_id, []).append(amendment)
    return {
        pk: RecordChange(revoked.get(pk), tuple(amended.get(pk, ())))
        for pk in set(revoked) | set(amended)
    }


def latest_submission(application: Application) -> ApplicationSubmission | None:
    return application.submissions.order_by("-number").first()


def reference_statuses(*, application) -> list[dict]:
    """What the learner sees of each rater: who, and the status. Never the ratings."""
    return [
        {
            "name": r.name,
            "email": r.email,
            "relationship": r.get_relationship_display(),
            "status": r.status,
            "status_label": r.get_status_display(),
            "invited_at": r.invited_at,
            "responded_at": r.responded_at,
            "pk": r.pk,
        }
        for r in application.references.exclude(status=ReferenceStatus.REPLACED)
    ]


# ---------------------------------------------------------------------------------------------
# Review: who may see an application, and who may review it


def conflicted_emails(*, application: Application) -> set[str]:
    """E-mail addresses that may not review the application: the applicant, every rater
    they named, their current supervisor and the supervisors of their RSC sessions."""
    emails = {application.learner.email}
    emails.update(application.references.values_list("email", flat=True))
    if application.supervisor_email:
        emails.add(application.supervisor_email)
    emails.update(
        RSCSession.objects.filter(learner_id=application.learner_id).values_list(
            "supervisor_email", flat=True
        )
    )
    return {e.strip().lower() for e in emails if e}


def review_conflict(*, application: Application, user) -> str:
    """Why ``user`` may not review the application, or "" when they may."""
    if user.pk == application.learner_id:
        return "An applicant cannot review their own application."
    responders = application.references.filter(responded_by=user).exists()
    if responders or user.email.strip().lower() in conflicted_emails(application=application):
        return (
            f"{user} is the applicant's rater or supervisor (or shares an e-mail address with "
            "one) and cannot review this application."
        )
    return ""


def eligible_reviewers(*, application: Application) -> list:
    """The association's reviewers who may review the application, those with the fewest
    open reviews first."""
    emails = conflicted_emails(application=application)
    responders = application.references.exclude(responded_by=None).values("responded_by")
    reviewers = (
        members_with_role(organization=application.association, role=Role.REVIEWER)
        .filter(is_active=True)
        .exclude(pk=application.learner_id)
        .exclude(pk__in=responders)
        .exclude(pk__in=application.assignments.values("reviewer"))
        .annotate(
            open_reviews=Count(
                "review_assignments",
                filter=Q(review_assignments__application__status__in=UNDER_REVIEW),
                distinct=True,
            )
        )
        .order_by("open_reviews", "pk")
    )
    return [u for u in reviewers if u.email.strip().lower() not in emails]


def may_manage_applications(*, user, association) -> bool:
    return user_can(user=user, action=Action.MANAGE_APPLICATIONS, organization=association)


def reviewable_applications(*, user) -> QuerySet[Application]:
    """Submitted applications ``user`` may open in the admin: every one of the associations
    they manage applications for, and those assigned to them where they review."""
    managed = organizations_where(user=user, action=Action.MANAGE_APPLICATIONS)
    reviewing = organizations_where(user=user, action=Action.REVIEW_APPLICATIONS)
    return (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .filter(
            Q(association__in=managed) | Q(association__in=reviewing, assignments__reviewer=user)
        )
        .distinct()
        .select_related("learner", "association", "category")
        .order_by("-submitted_at", "-id")
    )


def application_for_reviewer(*, user, pk) -> Application | None:
    return reviewable_applications(user=user).filter(pk=pk).first()


# ---------------------------------------------------------------------------------------------
# The public registry


def registry_entries(*, association, on=None) -> QuerySet[Endorsement]:
    """Current endorsements the association granted through Attune whose holders chose to
    be listed: one query."""
    on = on or timezone.localdate()
    return (
        Endorsement.objects.filter(
            association=association,
            source=EndorsementSource.APPLICATION,
            listed_in_registry=True,
        )
        .filter(Q(renewal_due__isnull=True) | Q(renewal_due__gte=on))
        .select_related("learner", "category")
        .order_by("learner__last_name", "learner__first_name", "category__order", "pk")
    )


def review_context(*, application: Application, user) -> dict:
    """What a reviewer's screen shows: the latest submission with a flag on each record
    amended or revoked since, the references with their ratings, the reviews and decisions.
    Another reviewer's marks show once ``user`` has reviewed (or manages applications)."""
    submission = latest_submission(application)
    reviews = Review.objects.filter(submission=submission).prefetch_related("areas__area")
    assignments = list(
        application.assignments.select_related("reviewer").prefetch_related(
            Prefetch("reviews", queryset=reviews)
        )
    )
    mine = next((a for a in assignments if a.reviewer_id == user.pk), None)
    my_review = next(iter(mine.reviews.all()), None) if mine else None
    changes = changes_since(submission=submission) if submission else {}
    rows = [(row, changes.get(row["pk"])) for row in (submission.records if submission else [])]
    required = submission.requirement_set.reviewers_required if submission else 0
    manages = may_manage_applications(user=user, association=application.association)
    all_reviewed = len(assignments) >= max(required, 1) and all(
        a.reviews.all() for a in assignments
    )
    return {
        "application": application,
        "submission": submission,
        "rows": rows,
        "flagged": sum(1 for _, change in rows if change),
        "assignments": assignments,
        "my_assignment": mine,
        "my_review": my_review,
        "show_reviews": my_review is not None or manages,
        "all_reviewed": all_reviewed,
        "under_review": application.status in UNDER_REVIEW,
        "may_decide": application.status == ApplicationStatus.IN_REVIEW
        and all_reviewed
        and (mine is not None or manages),
        "may_resume": application.status == ApplicationStatus.ON_HOLD
        and (mine is not None or manages),
        "reviewers_required": required,
        "references": application.references.exclude(status=ReferenceStatus.REPLACED)
        .select_related("responded_by")
        .prefetch_related("ratings__area"),
        "decisions": application.decisions.select_related("decided_by"),
    }


# ---------------------------------------------------------------------------------------------
# Records shared with an association's own systems (the API)


def shared_records(
    *,
    association,
    updated_since: datetime.datetime | None = None,
    after: tuple[datetime.datetime, int] | None = None,
    limit: int = 100,
    record_ids=None,
) -> list[TrainingRecord]:
    """Training records and RSC sessions of the learners who consent, now, to share them with
    ``association``; nobody else's. Ordered by ``changed_at`` (the latest of the last change
    to the record, its revocation and the consent) then id, so a cursor of ``(changed_at,
    id)`` pages stably and a consent given later brings older records into a sync. Revoked
    records are included, marked, so that receiving systems learn of the revocation. Four
    queries whatever ``limit``: the records with learners, area hours, facilitators and
    amendments (facts as amended)."""
    consent = active_consents(organization=association).filter(user_id=OuterRef("learner_id"))
    qs = (
        TrainingRecord.objects.non_polymorphic()
        .filter(learner__in=consenting_user_ids(organization=association))
        .select_related("learner", "polymorphic_ctype")
        .annotate(
            rsc_cosign_status=F("rscsession__cosign_status"),
            rsc_session_format=F("rscsession__session_format"),
            rsc_supervisor_name=F("rscsession__supervisor_name"),
            rsc_supervisor_endorsement=F("rscsession__supervisor_endorsement"),
            consented_at=Subquery(consent.values("granted_at")[:1]),
        )
        .annotate(
            changed_at=Greatest(
                "modified_at", Coalesce("revoked_at", "modified_at"), "consented_at"
            )
        )
    )
    if record_ids is not None:
        qs = qs.filter(pk__in=record_ids)
    if updated_since is not None:
        qs = qs.filter(changed_at__gte=updated_since)
    if after is not None:
        moment, pk = after
        qs = qs.filter(Q(changed_at__gt=moment) | Q(changed_at=moment, pk__gt=pk))
    return list(with_facts(qs.order_by("changed_at", "pk"))[:limit])

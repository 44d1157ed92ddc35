"""An application's live draft, computed from the learner's records whenever it is read (a
record issued after the draft was started is in it with no action), the day it is evaluated
on, the learner's applications, and what happened to a submission's records since it was
frozen.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from lms.records.facts import RecordFacts, describe_changes, facts_for
from lms.records.links import verification_url
from lms.records.models import RecordAmendment, TrainingRecord

from ..models import (
    Application,
    ApplicationExclusion,
    ApplicationKind,
    ApplicationSubmission,
    ReferenceRequest,
    RequirementSet,
)
from ..rules.cycles import renewal_cycle
from ..rules.evaluation import Evaluation, RuleResult, evaluate
from ..rules.facts import RecordFact
from ..rules.readiness import open_items, readiness
from ..rules.rule_sets import ChecklistItem
from .exports import ExportLine
from .facts import portfolio_records, record_fact, standing_for
from .references import reference_gaps, reference_tick
from .requirements import category_areas, requirement_sets_for, rule_set_in_effect


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
    evaluation: Evaluation | None
    training: list[ApplicationEntry]
    rsc: list[ApplicationEntry]
    excluded: list[ApplicationEntry]
    references: list[ReferenceRequest]
    facts: list[RecordFact]

    @property
    def open_items(self) -> tuple[list[str], list[str]]:
        """``(blocking, allowed)``: what stops a submission, and what may stay open."""
        if self.evaluation is None:
            return [gettext("There are no rules in effect for this application.")], []
        blocking, allowed = open_items(self.evaluation)
        blocking += reference_gaps(requirement_set=self.requirement_set, references=self.references)
        return blocking, allowed

    @property
    def unverified(self) -> list[str]:
        """What reviewers will see is unverified (self-reported, awaiting co-signature)."""
        if self.evaluation is None:
            return []
        items = readiness(self.evaluation, self.facts)
        return [item.text for item in items if item.status == "unverified"]

    @property
    def checklist(self) -> list[RuleResult]:
        if self.evaluation is None:
            return []
        return [
            r
            for r in self.evaluation.results
            if r.is_checklist and r.rule.checklist_item != ChecklistItem.REFERENCES
        ]


def evaluation_day(application: Application, requirement_set=None, *, today=None):
    """The day an application is evaluated on: today, or for a renewal applied for after its
    cycle ended (a January deadline), the last day of the cycle being renewed."""
    today = today or timezone.localdate()
    endorsement = application.endorsement
    if application.kind != ApplicationKind.RENEWAL or endorsement is None:
        return today
    if requirement_set is None or endorsement.renewal_due is None:
        return today
    cycle = renewal_cycle(
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
    facts = [record_fact(line.record, line.facts) for line in lines]
    counted_facts = [f for f in facts if f.record_id not in exclusions]
    evaluation = None
    if found is not None:
        ticks = tuple(t for t in found.ticks if t.item != ChecklistItem.REFERENCES)
        ticks += reference_tick(requirement_set, references, on)
        evaluation = evaluate(
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


@dataclass(frozen=True)
class RecordChange:
    """What happened to a submitted record after the submission."""

    revoked_at: datetime.datetime | None
    amendments: tuple

    @property
    def lines(self) -> list[str]:
        out = [
            gettext("Amended on %(day)s: %(changes)s")
            % {"day": f"{a.amended_at:%Y-%m-%d}", "changes": "; ".join(describe_changes(a.changes))}
            for a in self.amendments
        ]
        if self.revoked_at:
            out.append(gettext("Revoked on %(day)s.") % {"day": f"{self.revoked_at:%Y-%m-%d}"})
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

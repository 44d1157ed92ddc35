"""Reads on training records: a learner's records, transcript totals, what an organization issued.

The transcript and portfolio read records with ``learner_records``: one query for the records
(non-polymorphic, with the RSC co-signature columns joined in) and one prefetch each for area
hours, facilitators and amendments, whatever the number of records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from lms.competencies.models import CompetencyArea, CompetencyFramework
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from .facts import RecordFacts, facts_for
from .models import (
    CosignStatus,
    RecordAmendment,
    RecordAreaHours,
    RecordFacilitator,
    RecordStatus,
    RSCSession,
    TrainingRecord,
)


def areas_in_effect() -> QuerySet[CompetencyArea]:
    """The current framework's competency areas in one query (the framework as a subquery)."""
    framework = (
        CompetencyFramework.objects.filter(effective_date__lte=timezone.localdate())
        .order_by("-effective_date", "-id")
        .values("pk")[:1]
    )
    return CompetencyArea.objects.filter(framework=Subquery(framework)).order_by("order", "code")


def with_facts(qs: QuerySet) -> QuerySet:
    """Prefetch what ``facts_for`` reads: area hours and their areas, facilitators, amendments."""
    return qs.prefetch_related(
        Prefetch("area_hours", queryset=RecordAreaHours.objects.select_related("area")),
        Prefetch("facilitators", queryset=RecordFacilitator.objects.all()),
        Prefetch("amendments", queryset=RecordAmendment.objects.all()),
    )


def learner_records(*, learner, include_revoked: bool = True) -> QuerySet[TrainingRecord]:
    """All of a learner's records, newest first, ready for ``facts_for``.

    Rows are base ``TrainingRecord`` instances (no per-subtype queries); ``rsc_cosign_status``
    is annotated (empty for records that are not RSC sessions) and ``record_kind`` names the
    subtype's model.
    """
    qs = (
        TrainingRecord.objects.non_polymorphic()
        .filter(learner=learner)
        .select_related("polymorphic_ctype")
        .annotate(
            rsc_cosign_status=F("rscsession__cosign_status"),
            rsc_session_format=F("rscsession__session_format"),
            rsc_supervisor_name=F("rscsession__supervisor_name"),
        )
        .order_by("-completed_on", "-id")
    )
    if not include_revoked:
        qs = qs.filter(status=RecordStatus.VALID)
    return with_facts(qs)


def record_for_learner(*, learner, verification_id) -> TrainingRecord | None:
    """One of the learner's own records (as its subtype), or None if it is someone else's."""
    return with_facts(
        TrainingRecord.objects.filter(learner=learner, verification_id=verification_id)
    ).first()


def record_for_verification(*, verification_id) -> TrainingRecord | None:
    return (
        with_facts(TrainingRecord.objects.filter(verification_id=verification_id))
        .select_related("learner", "provider_organization")
        .prefetch_related("amendments__amended_by")
        .first()
    )


@dataclass
class TranscriptLine:
    record: TrainingRecord
    facts: RecordFacts
    is_rsc: bool


@dataclass
class Transcript:
    learner: object
    areas: list
    lines: list[TranscriptLine]
    training_hours: Decimal = Decimal(0)
    rsc_hours: Decimal = Decimal(0)
    rsc_hours_cosigned: Decimal = Decimal(0)
    dei_hours: Decimal = Decimal(0)
    rsc_topic_hours: Decimal = Decimal(0)
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    years: list[dict] = field(default_factory=list)

    @property
    def area_totals(self) -> list[tuple]:
        return [(area, self.hours_by_area.get(area.code, Decimal(0))) for area in self.areas]


def transcript_for(*, learner, include_revoked: bool = False) -> Transcript:
    """Every valid record of a learner with totals per competency area and per year.

    Five queries whatever the number of records: competency areas, records, area hours,
    facilitators, amendments.
    """
    areas = list(areas_in_effect())
    lines = []
    by_area: dict[str, Decimal] = defaultdict(Decimal)
    years: dict[int, dict] = {}
    transcript = Transcript(learner=learner, areas=areas, lines=lines)
    for record in learner_records(learner=learner, include_revoked=include_revoked):
        facts = facts_for(record)
        is_rsc = record.rsc_cosign_status is not None
        lines.append(TranscriptLine(record=record, facts=facts, is_rsc=is_rsc))
        if record.is_revoked:
            continue
        year = years.setdefault(
            facts.completed_on.year,
            {
                "year": facts.completed_on.year,
                "training_hours": Decimal(0),
                "rsc_hours": Decimal(0),
                "dei_hours": Decimal(0),
                "records": 0,
                "by_area": defaultdict(Decimal),
            },
        )
        year["records"] += 1
        if is_rsc:
            transcript.rsc_hours += facts.duration_hours
            year["rsc_hours"] += facts.duration_hours
            if record.rsc_cosign_status == CosignStatus.CONFIRMED:
                transcript.rsc_hours_cosigned += facts.duration_hours
            continue
        transcript.training_hours += facts.duration_hours
        year["training_hours"] += facts.duration_hours
        if facts.dei:
            transcript.dei_hours += facts.duration_hours
            year["dei_hours"] += facts.duration_hours
        if facts.rsc_topic:
            transcript.rsc_topic_hours += facts.duration_hours
        for area_hours in facts.area_hours:
            by_area[area_hours.code] += area_hours.hours
            year["by_area"][area_hours.code] += area_hours.hours
    transcript.hours_by_area = dict(by_area)
    transcript.years = [
        {**y, "area_totals": [(a, y["by_area"].get(a.code, Decimal(0))) for a in areas]}
        for _, y in sorted(years.items(), reverse=True)
    ]
    return transcript


def issued_records_for(*, user, organization=None, search: str = "") -> QuerySet[TrainingRecord]:
    """Records issued by organizations where ``user`` may view issued records."""
    orgs = organizations_where(user=user, action=Action.VIEW_ISSUED_RECORDS)
    if organization is not None:
        orgs = orgs.filter(pk=organization.pk)
    qs = (
        TrainingRecord.objects.non_polymorphic()
        .filter(provider_organization__in=orgs)
        .select_related("learner", "provider_organization", "polymorphic_ctype")
        .order_by("-completed_on", "-id")
    )
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(learner__email__icontains=search)
            | Q(learner__first_name__icontains=search)
            | Q(learner__last_name__icontains=search)
        )
    return qs


def learner_rsc_sessions(*, learner) -> QuerySet[RSCSession]:
    return RSCSession.objects.filter(learner=learner).order_by("-completed_on", "-id")

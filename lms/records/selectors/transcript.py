"""A learner's transcript: every valid record with totals per competency area and per year.

The transcript (and the endorsement portfolio) reads records with ``learner_records``: one
query for the records (non-polymorphic, with the RSC co-signature columns joined in) and one
prefetch each for area hours, facilitators and amendments, whatever the number of records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Subquery
from django.utils import timezone

from lms.competencies.models import CompetencyArea, CompetencyFramework

from ..facts import RecordFacts, facts_for
from ..models import CosignStatus, TrainingRecord
from .records import learner_records


def areas_in_effect() -> QuerySet[CompetencyArea]:
    """The current framework's competency areas in one query (the framework as a subquery)."""
    framework = (
        CompetencyFramework.objects.filter(effective_date__lte=timezone.localdate())
        .order_by("-effective_date", "-id")
        .values("pk")[:1]
    )
    return CompetencyArea.objects.filter(framework=Subquery(framework)).order_by("order", "code")


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

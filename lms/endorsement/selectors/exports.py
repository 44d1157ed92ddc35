"""The application export's data: the learner's training entries and RSC log, oldest first,
with amended values; ``lms.endorsement.exports`` writes it as CSV, JSON and PDF.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from lms.competencies.models import EndorsementCategory
from lms.records.facts import RecordFacts, facts_for
from lms.records.links import verification_url
from lms.records.models import CosignStatus, TrainingRecord

from ..rules.facts import fits_age_band
from .facts import portfolio_records
from .languages import document_language


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
    # The language the CSV and PDF labels are written in (the facts never change with it).
    language: str = settings.LANGUAGE_CODE

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
        if not fits_age_band(facts.age_band, band):
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
        language=document_language(learner),
    )

"""The learner's records as the rules read them (``rules.facts.RecordFact``), and the standing
an endorsement they hold gives them.

Query budget: ``portfolio_facts`` is four queries (records, area hours, facilitators,
amendments) whatever the number of records.
"""

from django.db.models import F, QuerySet

from lms.records.facts import RecordFacts, facts_for
from lms.records.models import CosignStatus, TrainingRecord
from lms.records.selectors.records import learner_records

from ..models import Endorsement
from ..rules.facts import RecordFact, Standing, TickFact


def record_fact(record: TrainingRecord, facts: RecordFacts) -> RecordFact:
    cosign = record.rsc_cosign_status
    return RecordFact(
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


def portfolio_facts(*, learner) -> list[RecordFact]:
    """Every valid record of the learner as ``RecordFact`` (amended values): four
    queries whatever the number of records."""
    return [
        record_fact(record, facts_for(record))
        for record in portfolio_records(learner=learner, include_revoked=False)
    ]


def standing_for(held: Endorsement | None, ticks: tuple[TickFact, ...] = ()) -> Standing:
    if held is None or held.is_revoked:  # a revoked endorsement gives no standing
        return Standing(ticks=ticks)
    return Standing(endorsed_on=held.endorsed_on, provides_rsc=held.provides_rsc, ticks=ticks)

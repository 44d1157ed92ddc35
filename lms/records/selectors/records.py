"""Reading records: a learner's records, one of their records, one record by verification id.

Every read here is ready for ``facts_for``: one query for the records and one prefetch each
for area hours, facilitators and amendments, whatever the number of records.
"""

from django.db.models import F, Prefetch, QuerySet

from ..models import (
    RecordAmendment,
    RecordAreaHours,
    RecordFacilitator,
    RecordStatus,
    TrainingRecord,
)


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

"""Records shared with an association's own systems (the API and webhooks), by the consent
of the learners.
"""

import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from lms.accounts.selectors import active_consents, consenting_user_ids
from lms.records.models import TrainingRecord
from lms.records.selectors.records import with_facts


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

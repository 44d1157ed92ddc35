"""An association's public registry of the people it endorsed through Attune."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Endorsement, EndorsementSource


def registry_entries(*, association, on=None) -> QuerySet[Endorsement]:
    """Current endorsements the association granted through Attune whose holders chose to
    be listed: one query."""
    on = on or timezone.localdate()
    return (
        Endorsement.objects.filter(
            association=association,
            source=EndorsementSource.APPLICATION,
            listed_in_registry=True,
            revoked_at__isnull=True,
        )
        .filter(Q(renewal_due__isnull=True) | Q(renewal_due__gte=on))
        .select_related("learner", "category")
        .order_by("learner__last_name", "learner__first_name", "category__order", "pk")
    )

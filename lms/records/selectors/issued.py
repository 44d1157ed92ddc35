"""What organizations issued: the records their staff may list, search and export."""

from django.db.models import Q, QuerySet

from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..models import TrainingRecord


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

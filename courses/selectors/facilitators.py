"""Which facilitators a training may name, and the association approvals that ran out."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lms.organizations.models import Facilitator, FacilitatorApproval


def facilitators_for(*, association, provider=None) -> QuerySet[Facilitator]:
    """Facilitators a training in ``association``'s catalog may name: those the association
    has approved (even if the approval has since expired: editors are warned) and those who
    work for the association or for the training's provider."""
    condition = Q(approvals__association=association) | Q(organization=association)
    if provider is not None:
        condition |= Q(organization=provider)
    return Facilitator.objects.filter(condition).distinct()


def expired_approvals(*, facilitator_ids, association, on=None) -> list[FacilitatorApproval]:
    """The association's approvals of these facilitators that have run out."""
    day = on or timezone.localdate()
    return list(
        FacilitatorApproval.objects.filter(
            facilitator_id__in=list(facilitator_ids), association=association, expires_on__lt=day
        )
        .select_related("facilitator", "association")
        .order_by("facilitator__name")
    )


def expiry_warning(approval: FacilitatorApproval) -> str:
    return _(
        "%(facilitator)s's approval by %(association)s expired on %(date)s. Renew the approval "
        "or choose another facilitator."
    ) % {
        "facilitator": approval.facilitator.name,
        "association": approval.association.display_name,
        "date": date_format(approval.expires_on, "DATE_FORMAT"),
    }

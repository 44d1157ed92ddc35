"""Writes on the learner's portfolio: the association and category they work toward, and an
endorsement they hold from before Attune. Bad input raises ``ValidationError`` with nothing
saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.accounts.services import update_profile
from lms.competencies.models import EndorsementCategory
from lms.organizations.models import OrganizationKind
from lms.records.services.issuing import learner_today

from ..models import Endorsement, EndorsementSource
from .renewals import renewal_due_for


def _check_target(association, category) -> None:
    errors = {}
    if association is None or association.kind != OrganizationKind.ASSOCIATION:
        errors["association"] = [_("Choose an association.")]
    if category is None or not isinstance(category, EndorsementCategory):
        errors["category"] = [_("Choose an endorsement category.")]
    if errors:
        raise ValidationError(errors)


def set_portfolio_target(*, learner, association, category, target_date=None):
    """The association and category the learner works toward, and the day they mean to apply
    by (kept on their profile)."""
    _check_target(association, category)
    return update_profile(
        user=learner, association=association, target_category=category, target_date=target_date
    )


@transaction.atomic
def record_held_endorsement(
    *,
    learner,
    association,
    category,
    endorsed_on: datetime.date,
    provides_rsc: bool = False,
) -> Endorsement:
    """Record (or correct) an endorsement the learner holds from before Attune, for the
    renewal tracker. One granted through an application here keeps its dates; only whether
    the holder provides RSC can change."""
    _check_target(association, category)
    if not isinstance(endorsed_on, datetime.date) or endorsed_on > learner_today(learner):
        raise ValidationError({"endorsed_on": [_("Enter the date you were endorsed (not later).")]})
    held = (
        Endorsement.objects.select_for_update()
        .filter(learner=learner, association=association, category=category)
        .first()
    )
    if held is not None and held.is_granted_here:
        held.provides_rsc = bool(provides_rsc)
        held.save(update_fields=["provides_rsc", "updated_at"])
        return held
    due = renewal_due_for(
        association=association,
        category=category,
        endorsed_on=endorsed_on,
        on=learner_today(learner),
    )
    held, _created = Endorsement.objects.update_or_create(
        learner=learner,
        association=association,
        category=category,
        defaults={
            "endorsed_on": endorsed_on,
            "provides_rsc": bool(provides_rsc),
            "renewal_due": due,
            "source": EndorsementSource.SELF_REPORTED,
        },
    )
    return held


def remove_held_endorsement(*, learner, held_id: int) -> None:
    """Remove an endorsement the learner entered themselves. One granted through an
    application is the association's to change, and one a renewal application names stays
    while that application does."""
    held = Endorsement.objects.filter(learner=learner, pk=held_id).first()
    if held is None:
        return
    if held.is_granted_here:
        raise ValidationError(
            _(
                "Your %(code)s endorsement was granted by %(association)s through Attune; only "
                "the association can change it."
            )
            % {"code": held.category.code, "association": held.association}
        )
    if held.applications.exists():
        raise ValidationError(
            _(
                "Your %(code)s renewal application names this endorsement, so it stays; correct "
                "its date instead if it is wrong."
            )
            % {"code": held.category.code}
        )
    held.delete()

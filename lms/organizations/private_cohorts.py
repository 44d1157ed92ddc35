"""Private cohorts: trainings a contract builds for one center, seen only by its people.

Courses ask these before listing or serving a training; they read only organizations' rows
(contracts, memberships, rosters), so they live here, below every app that asks.
"""

from django.db.models import Q, QuerySet

from .models import (
    ON_ROSTER,
    ContractTraining,
    Membership,
    Organization,
    OrganizationKind,
    StaffMember,
)
from .permissions import Action, roles_allowing


def _centers_seeing_private(user) -> QuerySet:
    """Centers whose private cohorts ``user`` may see: those whose roster they are on and
    those they manage. Subqueries only, so that callers add no query."""
    managing = Membership.objects.filter(
        user=user,
        role__in=roles_allowing(Action.VIEW_STAFF_PROGRESS),
        organization__kind=OrganizationKind.CENTER,
    ).values("organization_id")
    on_roster = StaffMember.objects.filter(user=user, status__in=ON_ROSTER).values("center_id")
    return Organization.objects.filter(Q(pk__in=managing) | Q(pk__in=on_roster)).values("pk")


def _associations_authoring(user) -> QuerySet:
    return Membership.objects.filter(
        user=user,
        role__in=roles_allowing(Action.EDIT_TRAINING),
        organization__kind=OrganizationKind.ASSOCIATION,
    ).values("organization_id")


def hidden_private_trainings(*, user) -> QuerySet:
    """Ids of private-cohort trainings ``user`` may not see (a lazy ``values`` queryset, for
    ``exclude(pk__in=...)``): everyone but the center's staff and managers, the association's
    admins and editors, and superusers."""
    private = ContractTraining.objects.filter(private=True)
    if getattr(user, "is_superuser", False) and user.is_active:
        return private.none().values("training_id")
    if getattr(user, "is_authenticated", False):
        private = private.exclude(contract__center__in=_centers_seeing_private(user)).exclude(
            contract__association__in=_associations_authoring(user)
        )
    return private.values("training_id")


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def page_hidden_from(*, user, page) -> bool:
    """Is ``page`` a private cohort's training, or a page inside one (a lesson), that
    ``user`` may not see? One query."""
    paths = _ancestor_paths(page.path, page.steplen)
    return ContractTraining.objects.filter(
        training__path__in=paths, training_id__in=hidden_private_trainings(user=user)
    ).exists()


def is_private_cohort(*, training_id) -> bool:
    return ContractTraining.objects.filter(training_id=training_id, private=True).exists()

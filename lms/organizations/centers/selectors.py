"""Reads for centers: rosters, contracts, seats, and who may see a private cohort."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from lms.accounts.models import ConsentScope, SharingConsent

from ..models import (
    ON_ROSTER,
    CenterProgram,
    Contract,
    ContractStatus,
    ContractTraining,
    Membership,
    Organization,
    OrganizationKind,
    RosterImport,
    SeatAssignment,
    SeatStatus,
    StaffMember,
)
from ..permissions import Action, roles_allowing
from ..selectors import organizations_where, user_can
from .hooks import ProgressStatus, hook


def center_for(*, user, slug: str, action: Action) -> Organization | None:
    """The center named by ``slug`` if ``user`` may do ``action`` there, else None."""
    center = Organization.objects.filter(slug=slug, kind=OrganizationKind.CENTER).first()
    if center is None or not user_can(user=user, action=action, organization=center):
        return None
    return center


def managed_centers(*, user) -> QuerySet[Organization]:
    """Centers whose staff progress ``user`` may see."""
    return organizations_where(user=user, action=Action.VIEW_STAFF_PROGRESS).order_by("name")


def shares_portfolio(*, center) -> Exists:
    """An annotation: does the staff member consent, now, to share their portfolio?"""
    return Exists(
        SharingConsent.objects.active().filter(
            user_id=OuterRef("user_id"),
            organization_id=getattr(center, "pk", center),
            scope=ConsentScope.CENTER_PORTFOLIO,
        )
    )


def roster(*, center, statuses=ON_ROSTER) -> QuerySet[StaffMember]:
    """The people on the center's roster, with their account, profile and program."""
    return (
        StaffMember.objects.filter(center=center, status__in=statuses)
        .select_related("user", "program")
        .annotate(portfolio_shared=shares_portfolio(center=center))
    )


def staff_member(*, center, pk) -> StaffMember | None:
    return roster(center=center, statuses=list(ON_ROSTER)).filter(pk=pk).first()


def programs_of(*, center) -> QuerySet[CenterProgram]:
    return CenterProgram.objects.filter(center=center).order_by("name")


def program_named(*, center, name: str) -> CenterProgram | None:
    return CenterProgram.objects.filter(center=center, name__iexact=name.strip()).first()


def staff_by_email(*, center, emails) -> dict[str, StaffMember]:
    """Roster rows of ``center`` keyed by lower-cased e-mail."""
    rows = (
        StaffMember.objects.filter(center=center)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in={e.lower() for e in emails})
    )
    return {s.email_lower: s for s in rows}


def contracts_of_center(*, center) -> QuerySet[Contract]:
    """What the center sees: its contracts once the association has activated them."""
    return (
        Contract.objects.filter(center=center)
        .exclude(status=ContractStatus.DRAFT)
        .select_related("association")
        .prefetch_related("trainings__training")
    )


def open_contract_trainings(*, center, on=None) -> QuerySet[ContractTraining]:
    """Trainings of the center's contracts that take seat assignments on ``on``."""
    on = on or timezone.localdate()
    return (
        ContractTraining.objects.filter(
            contract__center=center,
            contract__status=ContractStatus.ACTIVE,
            contract__starts_on__lte=on,
            contract__ends_on__gte=on,
        )
        .select_related("contract", "training")
        .order_by("contract__title", "sort_order", "pk")
    )


def assigned_seats(*, center, staff_ids=None) -> QuerySet[SeatAssignment]:
    """Assigned seats of the center's contracts (of ``staff_ids`` if given)."""
    seats = SeatAssignment.objects.filter(
        contract__center=center, status=SeatStatus.ASSIGNED
    ).select_related("contract_training__training", "contract")
    if staff_ids is not None:
        seats = seats.filter(staff_id__in=staff_ids)
    return seats.order_by("contract_training__sort_order", "pk")


def roster_import_for(*, center, pk) -> RosterImport | None:
    return RosterImport.objects.filter(center=center, pk=pk).first()


def centers_of_staff(*, user) -> QuerySet[StaffMember]:
    """The rosters ``user`` is on (invited or joined), with whether they share their
    portfolio with each center."""
    return (
        StaffMember.objects.filter(user=user, status__in=ON_ROSTER)
        .select_related("center", "program")
        .annotate(
            portfolio_shared=Exists(
                SharingConsent.objects.active().filter(
                    user_id=OuterRef("user_id"),
                    organization_id=OuterRef("center_id"),
                    scope=ConsentScope.CENTER_PORTFOLIO,
                )
            )
        )
        .order_by("center__name")
    )


# ---------------------------------------------------------------------------------------------
# Private cohorts: trainings built for one center, seen only by its people


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


@dataclass(frozen=True)
class ContractLine:
    title: str
    private: bool
    seats_assigned: int
    completions: int


def contract_report(*, contract) -> list[ContractLine]:
    """Use of a contract for the association: per training, seats assigned and how many of
    their holders completed it. Counts only, no names."""
    lines = list(contract.trainings.select_related("training").order_by("sort_order", "pk"))
    seats = list(
        SeatAssignment.objects.filter(contract=contract, status=SeatStatus.ASSIGNED).values_list(
            "contract_training_id", "contract_training__training_id", "staff__user_id"
        )
    )
    assigned = Counter(line_id for line_id, _, _ in seats)
    progress = {}
    if seats:
        progress = hook("training_progress")(
            learner_ids={user_id for _, _, user_id in seats},
            training_ids={training_id for _, training_id, _ in seats},
        )
    completed = Counter(
        line_id
        for line_id, training_id, user_id in seats
        if (p := progress.get((user_id, training_id))) and p.status == ProgressStatus.COMPLETED
    )
    return [
        ContractLine(
            title=line.training.title,
            private=line.private,
            seats_assigned=assigned[line.pk],
            completions=completed[line.pk],
        )
        for line in lines
    ]

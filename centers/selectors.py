"""Reads for centers: rosters, contracts, seats, and who may see a private cohort."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from centers.progress import training_progress
from centers.values import ProgressStatus
from lms.accounts.models import ConsentScope, SharingConsent
from lms.organizations.models import (
    ON_ROSTER,
    CenterProgram,
    Contract,
    ContractStatus,
    ContractTraining,
    Organization,
    OrganizationKind,
    RosterImport,
    SeatAssignment,
    SeatStatus,
    StaffMember,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can


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
        progress = training_progress(
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


@dataclass
class SeatLine:
    """A training of an open contract: who holds its seats, and who could be given one."""

    line: ContractTraining
    holders: list[SeatAssignment]
    choices: list[StaffMember]


@dataclass
class ContractSeats:
    """A contract's seat pool (one count for all its trainings) and its trainings."""

    contract: Contract
    lines: list[SeatLine]

    @property
    def near_full(self) -> int:
        """The ``high`` mark of the seat meter: nine tenths of the pool."""
        return max(self.contract.seat_count * 9 // 10, 1)


def seat_pool(*, lines, people) -> list[ContractSeats]:
    """The open contracts of ``lines`` (``open_contract_trainings``) in their order, each with
    its trainings' seat holders and the people of ``people`` not holding one: one query."""
    seats = (
        SeatAssignment.objects.filter(contract_training__in=lines, status=SeatStatus.ASSIGNED)
        .select_related("staff__user")
        .order_by("staff__user__last_name", "staff__user__first_name", "pk")
    )
    by_line: dict[int, list[SeatAssignment]] = {}
    for seat in seats:
        by_line.setdefault(seat.contract_training_id, []).append(seat)
    pools: dict[int, ContractSeats] = {}
    for line in lines:
        holders = by_line.get(line.pk, [])
        holding = {seat.staff_id for seat in holders}
        pool = pools.setdefault(line.contract_id, ContractSeats(line.contract, []))
        pool.lines.append(
            SeatLine(line, holders, [person for person in people if person.pk not in holding])
        )
    return list(pools.values())

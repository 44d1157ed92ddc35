"""The manager's dashboard and its CSV export: exactly what each person's consent allows.

* Invited people (not joined yet): their seats only, which are the center's own data.
* Joined staff: progress in the trainings of their seats, and hours per competency area from
  the records those trainings issued (joining shares progress on contracted trainings).
* Joined staff who consent to share their portfolio (``ConsentScope.CENTER_PORTFOLIO``): hours
  from their whole portfolio, target category, readiness and renewal date.

Consent is read in the same query as the roster, at every request and export batch, so that
taking it back takes effect at once. The page runs a fixed number of queries whatever the
number of staff; the export reads the roster in batches and streams, so its memory does not
grow with the number of rows.
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from centers.progress import training_progress
from centers.readiness import staff_standing
from centers.selectors import assigned_seats, roster
from centers.summary import Summary, summarize
from centers.values import NO_PROGRESS, Progress, ProgressStatus, Readiness, Target
from lms.competencies.models import localized
from lms.organizations.models import SeatAssignment, SeatStatus, StaffMember, StaffStatus
from lms.records.spreadsheets import SpreadsheetWriter

EXPORT_BATCH = 500


@dataclass(frozen=True)
class DashboardFilters:
    q: str = ""
    program: int | None = None
    training: int | None = None
    progress: str = ""
    staff_status: str = ""
    readiness: str = ""


READINESS_FILTERS = {
    "ready": _("Shares readiness: ready"),
    "not_ready": _("Shares readiness: not yet ready"),
    "not_shared": _("Does not share a portfolio"),
}


@dataclass
class TrainingLine:
    training_id: int
    title: str
    contract_title: str
    progress: Progress | None  # None: the person has not joined, nothing is shared


@dataclass
class StaffRow:
    staff: StaffMember
    trainings: list[TrainingLine]
    shares_portfolio: bool
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    target_category: str = ""
    readiness: Readiness | None = None
    renewal_due: datetime.date | None = None
    area_lines: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def has_joined(self) -> bool:
        return self.staff.status == StaffStatus.ACTIVE

    @property
    def hours_scope(self) -> str:
        if not self.has_joined:
            return ""
        if self.shares_portfolio:
            return gettext("Full portfolio")
        return gettext("Contracted trainings")

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_area.values(), Decimal(0))

    @property
    def completed(self) -> int:
        return sum(
            1
            for t in self.trainings
            if t.progress and t.progress.status == ProgressStatus.COMPLETED
        )


def staff_queryset(*, center, filters: DashboardFilters) -> QuerySet[StaffMember]:
    """The roster as filtered, with what the rows read: one query."""
    # The profile's target as plain columns: selecting the profile itself would tie user and
    # profile in a reference cycle that outlives each export batch until a full collection.
    staff = roster(center=center).annotate(
        target_association_id=F("user__profile__association_id"),
        target_category_id=F("user__profile__target_category_id"),
        target_category_code=F("user__profile__target_category__code"),
        target_category_name=F("user__profile__target_category__name"),
        target_category_names=F("user__profile__target_category__translated_names"),
    )
    if filters.q:
        words = Q()
        for word in filters.q.split():
            words &= (
                Q(user__email__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(roster_name__icontains=word)
            )
        staff = staff.filter(words)
    if filters.program:
        staff = staff.filter(program_id=filters.program)
    if filters.staff_status:
        staff = staff.filter(status=filters.staff_status)
    if filters.training:
        staff = staff.filter(
            Exists(
                SeatAssignment.objects.filter(
                    staff=OuterRef("pk"),
                    status=SeatStatus.ASSIGNED,
                    contract_training__training_id=filters.training,
                )
            )
        )
    return staff


def _target(staff: StaffMember) -> Target:
    return Target(staff.target_association_id, staff.target_category_id)


def _category_name(staff: StaffMember) -> str:
    if not staff.target_category_code:
        return ""
    name = localized(staff.target_category_name, staff.target_category_names)
    return f"{name} ({staff.target_category_code})"


def build_rows(*, staff: list[StaffMember], seats, on) -> tuple[list[StaffRow], tuple]:
    """Rows for ``staff`` from their assigned ``seats``: progress and standing each read in a
    fixed number of queries. Returns the rows and the competency areas ``(code, name)``."""
    by_staff = defaultdict(list)
    for seat in seats:
        by_staff[seat.staff_id].append(seat)
    joined = [s for s in staff if s.status == StaffStatus.ACTIVE]
    training_ids = {seat.contract_training.training_id for seat in seats}
    progress = {}
    if joined and training_ids:
        progress = training_progress(
            learner_ids=[s.user_id for s in joined], training_ids=training_ids
        )
    shared = {s.user_id: _target(s) for s in joined if s.portfolio_shared}
    # Records of the trainings of a person's own seats here count for everyone who joined
    # (a training they took elsewhere, even one this center also contracts, does not); the
    # rest of a portfolio only for those in ``shared``.
    user_of = {s.pk: s.user_id for s in joined}
    seat_pairs = {
        (user_of[seat.staff_id], seat.contract_training.training_id)
        for seat in seats
        if seat.staff_id in user_of
    }
    record_ids = [p.record_id for pair, p in progress.items() if p.record_id and pair in seat_pairs]
    report = staff_standing(portfolio=shared, record_ids=record_ids, on=on)
    rows = []
    for person in staff:
        has_joined = person.status == StaffStatus.ACTIVE
        trainings = [
            TrainingLine(
                training_id=seat.contract_training.training_id,
                title=seat.contract_training.training.title,
                contract_title=seat.contract.title,
                progress=progress.get(
                    (person.user_id, seat.contract_training.training_id), NO_PROGRESS
                )
                if has_joined
                else None,
            )
            for seat in by_staff.get(person.pk, [])
        ]
        row = StaffRow(
            staff=person,
            trainings=trainings,
            shares_portfolio=has_joined and person.portfolio_shared,
        )
        standing = report.by_learner.get(person.user_id) if has_joined else None
        if standing is not None:
            row.hours_by_area = standing.hours_by_area
            row.area_lines = [
                (name, row.hours_by_area[code])
                for code, name in report.areas
                if code in row.hours_by_area
            ]
        if row.shares_portfolio:
            row.target_category = _category_name(person)
            if standing is not None:
                row.readiness = standing.readiness
                row.renewal_due = standing.renewal_due
        rows.append(row)
    return rows, report.areas


def row_matches(row: StaffRow, filters: DashboardFilters) -> bool:
    """Filters that depend on progress and readiness, applied to built rows."""
    if filters.progress:
        lines = [
            t for t in row.trainings if not filters.training or t.training_id == filters.training
        ]
        if not any(t.progress and t.progress.status == filters.progress for t in lines):
            return False
    if filters.readiness == "not_shared":
        return not row.shares_portfolio
    if filters.readiness == "ready":
        return row.readiness is not None and row.readiness.met
    if filters.readiness == "not_ready":
        return row.shares_portfolio and not (row.readiness is not None and row.readiness.met)
    return True


@dataclass
class Dashboard:
    rows: list[StaffRow]
    areas: tuple
    summary: Summary
    trainings: list[tuple[int, str]]
    staff_total: int

    @property
    def joined(self) -> int:
        return self.summary.joined

    @property
    def sharing(self) -> int:
        return self.summary.sharing


def dashboard(*, center, filters: DashboardFilters, on=None) -> Dashboard:
    """Everything the dashboard page shows, in a fixed number of queries."""
    on = on or timezone.localdate()
    staff = list(staff_queryset(center=center, filters=filters))
    seats = list(assigned_seats(center=center))
    mine = {s.pk for s in staff}
    rows, areas = build_rows(staff=staff, seats=[s for s in seats if s.staff_id in mine], on=on)
    rows = [row for row in rows if row_matches(row, filters)]
    trainings = {}
    for seat in seats:
        trainings.setdefault(
            seat.contract_training.training_id, seat.contract_training.training.title
        )
    return Dashboard(
        rows=rows,
        areas=areas,
        summary=summarize(rows, areas),
        trainings=sorted(trainings.items(), key=lambda item: item[1].lower()),
        # The whole roster, whatever the filters: one count when some are on.
        staff_total=len(staff) if filters == DashboardFilters() else roster(center=center).count(),
    )


# ---------------------------------------------------------------------------------------------
# CSV export


def _trainings_cell(row: StaffRow) -> str:
    parts = []
    for line in row.trainings:
        if line.progress is None:
            status = gettext("seat assigned")
        elif line.progress.completed_on:
            status = f"{line.progress.label} {line.progress.completed_on:%Y-%m-%d}"
        else:
            status = line.progress.label
        # Translators: one training in the export's cell, e.g. "Attachment basics: Completed".
        parts.append(
            gettext("%(training)s: %(status)s") % {"training": line.title, "status": status}
        )
    return "; ".join(parts)


def export_header(areas) -> list[str]:
    """The export's column names, in the active language (the manager's)."""
    return [
        gettext("Name"),
        gettext("E-mail"),
        gettext("Program"),
        gettext("Job role"),
        gettext("Roster status"),
        gettext("Assigned trainings"),
        gettext("Trainings completed"),
        gettext("Shares portfolio"),
        gettext("Hours counted from"),
        gettext("Total hours"),
        *(
            # Translators: an export column, e.g. "Relationship-based practice (RBP) hours".
            gettext("%(area)s (%(code)s) hours") % {"area": name, "code": code}
            for code, name in areas
        ),
        gettext("Target category"),
        gettext("Readiness"),
        gettext("Still missing"),
        gettext("Renewal due"),
    ]


def export_line(row: StaffRow, areas) -> list[str]:
    staff = row.staff
    readiness = row.readiness
    return [
        "" if value is None else str(value)
        for value in (
            staff.display_name,
            staff.user.email,
            staff.program.name if staff.program else "",
            staff.job_role,
            staff.get_status_display(),
            _trainings_cell(row),
            row.completed if row.has_joined else "",
            gettext("yes") if row.shares_portfolio else gettext("no"),
            row.hours_scope,
            row.total_hours if row.has_joined else "",
            *(
                (row.hours_by_area.get(code, Decimal(0)) if row.has_joined else "")
                for code, _name in areas
            ),
            row.target_category,
            readiness.summary if readiness else "",
            "; ".join(readiness.missing) if readiness else "",
            row.renewal_due.isoformat() if row.renewal_due else "",
        )
    ]


class _Echo:
    """A file that hands back what is written, for a CSV writer in a stream."""

    def write(self, value):
        return value


def export_lines(
    *, center, filters: DashboardFilters, on=None, batch=None, language=None
) -> Iterator[str]:
    """The export as CSV text lines, read ``batch`` people at a time (keyset on the id): a
    handful of queries per batch and nothing kept between batches. Labels are in
    ``language`` (the requesting manager's), whichever language is active when the stream
    is read; facts (names, titles, dates, hours) are as stored."""
    with override(language) if language else contextlib.nullcontext():
        yield from _export_lines(center=center, filters=filters, on=on, batch=batch)


def _export_lines(*, center, filters: DashboardFilters, on, batch) -> Iterator[str]:
    on = on or timezone.localdate()
    batch = batch or EXPORT_BATCH
    writer = SpreadsheetWriter(_Echo())
    areas = staff_standing(portfolio={}, record_ids=[], on=on).areas
    yield writer.writerow(export_header(areas))
    last = 0
    while True:
        staff = list(
            staff_queryset(center=center, filters=filters)
            .filter(pk__gt=last)
            .order_by("pk")[:batch]
        )
        if not staff:
            return
        seats = list(assigned_seats(center=center, staff_ids=[s.pk for s in staff]))
        rows, _areas = build_rows(staff=staff, seats=seats, on=on)
        for row in rows:
            if row_matches(row, filters):
                yield writer.writerow(export_line(row, areas))
        last = staff[-1].pk

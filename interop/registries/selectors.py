"""Reads for registry reporting: who may report for which association, the registries an
association reports to, learners' IDs, and the roster of a training over a date range
(split into the rows a registry would accept and those it would reject, with why)."""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext

from courses.models import Enrollment, LiveEventPage, TrainingPage
from courses.selectors.archive import record_source_key
from lms.accounts.selectors import consenting_user_ids
from lms.organizations.models import Organization, OrganizationKind
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where
from lms.records.models import RecordAreaHours, RecordStatus, TrainingRecord

from .formats import RegistryFormat
from .models import AssociationRegistry, LearnerRegistryId, TrainingRegistryEvent

# Reporting a roster hands out who completed what: those who may see issued records.
REPORT = Action.VIEW_ISSUED_RECORDS


def reporting_associations(*, user) -> QuerySet[Organization]:
    """The associations whose rosters ``user`` may export."""
    return organizations_where(user=user, action=REPORT).filter(
        kind=OrganizationKind.ASSOCIATION, site__isnull=False
    )


def configurable_associations(*, user) -> QuerySet[Organization]:
    """The associations whose registries and sponsor IDs ``user`` may set."""
    return organizations_where(user=user, action=Action.MANAGE_INTEGRATIONS).filter(
        kind=OrganizationKind.ASSOCIATION
    )


def registries_of(*, association) -> dict[str, AssociationRegistry]:
    """The registries ``association`` reports to, by code."""
    return {
        row.registry: row for row in AssociationRegistry.objects.filter(association=association)
    }


def trainings_of(*, associations) -> QuerySet[TrainingPage]:
    """The trainings on the sites of ``associations`` (originals, not translations)."""
    pages = TrainingPage.objects.none()
    for association in associations:
        if association.site_id:
            root = association.site.root_page
            pages = pages | TrainingPage.objects.descendant_of(root)
    return pages.filter(alias_of__isnull=True).order_by("title")


def registry_ids_of(*, user) -> dict[str, str]:
    """The learner's own registry IDs, by registry code (for them only)."""
    rows = LearnerRegistryId.objects.filter(learner=user)
    return {row.registry: row.registry_id for row in rows}


def event_id_of(*, training, registry: str) -> str:
    row = TrainingRegistryEvent.objects.filter(training_id=training.pk, registry=registry).first()
    return row.event_id if row else ""


@dataclass
class RosterRow:
    learner_id: int
    name: str
    email: str
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def cells(self, registry: RegistryFormat) -> list[str]:
        return [self.values.get(source, "") for _, source in registry.columns]


@dataclass
class Roster:
    association: Organization
    training: TrainingPage
    registry: RegistryFormat
    start: datetime.date
    end: datetime.date
    accepted: list[RosterRow]
    rejected: list[RosterRow]


def _hours(value) -> str:
    return f"{Decimal(value):.2f}"


def _local_date(moment, zone_name) -> datetime.date | None:
    if moment is None:
        return None
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return moment.astimezone(zone).date()


@dataclass
class _Attendee:
    learner: object
    record: TrainingRecord | None
    start: datetime.date
    end: datetime.date


def _live_attendees(event: LiveEventPage, start, end) -> list[_Attendee]:
    """Who attended the event (attendance recorded, some minutes) on a day in the range."""
    found = []
    enrollments = (
        Enrollment.objects.filter(training_id=event.pk, attendance__minutes__gt=0)
        .select_related("learner", "attendance", "record")
        .order_by("learner__last_name", "learner__first_name", "learner_id")
    )
    event_start = _local_date(event.starts_at, event.time_zone)
    event_end = _local_date(event.ends_at, event.time_zone) or event_start
    for enrollment in enrollments:
        day = _local_date(enrollment.attendance.first_join, event.time_zone) or event_start
        if day is None or not (start <= day <= end):
            continue
        record = enrollment.record
        if record is not None and record.status == RecordStatus.REVOKED:
            record = None
        found.append(_Attendee(enrollment.learner, record, event_start or day, event_end or day))
    return found


def _completions(training, start, end) -> list[_Attendee]:
    records = (
        TrainingRecord.objects.filter(
            source_key=record_source_key(training.pk),
            completed_on__gte=start,
            completed_on__lte=end,
            status=RecordStatus.VALID,
        )
        .non_polymorphic()
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name", "learner_id")
    )
    return [_Attendee(r.learner, r, r.completed_on, r.completed_on) for r in records]


def _area_hours(records) -> dict[int, list[tuple[str, Decimal]]]:
    found: dict[int, list] = {}
    rows = RecordAreaHours.objects.filter(record__in=records).select_related("area")
    for row in rows.order_by("area__order", "area__code"):
        found.setdefault(row.record_id, []).append((row.area.code, row.hours))
    return found


def roster(*, association, training, registry: RegistryFormat, start, end) -> Roster:
    """The attendees of ``training`` between ``start`` and ``end`` (inclusive) as rows of
    ``registry``'s file: live attendance for a live event, completions otherwise. A row the
    registry would reject (no ID, an ID not in its format, no credited hours, or a learner
    who does not share their records with the association) says why."""
    event = LiveEventPage.objects.filter(pk=training.pk).first()
    attendees = _live_attendees(event, start, end) if event else _completions(training, start, end)
    sponsor = AssociationRegistry.objects.filter(association=association, registry=registry.code)
    sponsor_id = sponsor.values_list("sponsor_id", flat=True).first() or ""
    event_id = event_id_of(training=training, registry=registry.code)
    learner_ids = [a.learner.pk for a in attendees]
    sharing = set(
        consenting_user_ids(organization=association)
        .filter(user_id__in=learner_ids)
        .values_list("user_id", flat=True)
    )
    ids = dict(
        LearnerRegistryId.objects.filter(
            learner_id__in=sharing, registry=registry.code
        ).values_list("learner_id", "registry_id")
    )
    areas = _area_hours([a.record for a in attendees if a.record is not None])
    accepted, rejected = [], []
    for attendee in attendees:
        person, record = attendee.learner, attendee.record
        row = RosterRow(person.pk, person.get_full_name() or person.email, person.email)
        registry_id = ids.get(person.pk, "")
        if person.pk not in sharing:
            row.problems.append(
                gettext(
                    "Does not share their records with %(association)s, so their %(label)s "
                    "stays private."
                )
                % {"association": association.name, "label": registry.id_label}
            )
        elif not registry_id:
            row.problems.append(gettext("No %(label)s on file.") % {"label": registry.id_label})
        elif not registry.id_is_valid(registry_id):
            row.problems.append(
                gettext("The %(label)s “%(value)s” is not in the registry's format.")
                % {"label": registry.id_label, "value": registry_id}
            )
        hours = record.duration_hours if record is not None else None
        if not hours:
            row.problems.append(
                gettext("No hours credited: the attendance did not complete the training.")
                if event
                else gettext("No hours on the record.")
            )
        split = areas.get(record.pk, []) if record is not None else []
        row.values = {
            "registry_id": registry_id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "full_name": person.get_full_name(),
            "email": person.email,
            "sponsor_id": sponsor_id,
            "event_id": event_id,
            "training_id": str(training.pk),
            "training_title": record.title if record is not None else training.title,
            "provider_name": record.provider_name if record is not None else "",
            "delivery_format": training.delivery_format,
            "start_date": attendee.start.strftime(registry.date_format),
            "end_date": attendee.end.strftime(registry.date_format),
            "hours": _hours(hours) if hours else "",
            "competency_areas": ";".join(code for code, _ in split),
            "competency_hours": ";".join(f"{code}:{_hours(h)}" for code, h in split),
            "certificate_id": str(record.verification_id) if record is not None else "",
        }
        (rejected if row.problems else accepted).append(row)
    return Roster(association, training, registry, start, end, accepted, rejected)

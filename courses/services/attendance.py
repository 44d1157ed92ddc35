"""Attendance at live events: a meeting platform's participant report, or the facilitator.

Importing is two steps. ``preview_attendance_import`` reads the whole file and stores what
each row would do (matched, merged into an earlier join, unknown e-mail, malformed) without
touching attendance; ``confirm_attendance_import`` then writes every match in one transaction.
A file that cannot be read at all is refused with nothing stored.
"""

import csv
import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import (
    Attendance,
    AttendanceImport,
    AttendanceSource,
    Enrollment,
    EnrollmentStatus,
    ImportStatus,
)
from ..selectors.completion import event_minutes
from .completion import evaluate_completion

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {
    "name": ("name", "participant", "full name", "name (original name)", "user name"),
    "email": ("email", "user email", "e-mail", "email address", "attendee email"),
    "join": ("join time", "join", "joined", "first join", "join time (utc)"),
    "leave": ("leave time", "leave", "left", "last leave", "leave time (utc)"),
    "minutes": (
        "duration (minutes)",
        "duration minutes",
        "duration",
        "minutes",
        "time in session (minutes)",
    ),
}
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)
# Registrants with a seat (not waitlisted, not cancelled).
SEATED = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Outcome:
    MATCHED = "matched"
    MERGED = "merged"
    UNKNOWN = "unknown_email"
    MALFORMED = "malformed"


@dataclass
class ParsedRow:
    line: int
    name: str
    email: str
    join: datetime.datetime | None
    leave: datetime.datetime | None
    minutes: float | None
    error: str = ""


def _header_map(header: list[str]) -> dict[str, int]:
    normalised = [h.strip().lower().lstrip("\ufeff") for h in header]
    found = {}
    for key, names in COLUMNS.items():
        for index, name in enumerate(normalised):
            if name in names:
                found[key] = index
                break
    return found


def _parse_time(raw: str, zone) -> datetime.datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = datetime.datetime.fromisoformat(raw)
    except ValueError:
        value = None
        for fmt in TIME_FORMATS:
            try:
                value = datetime.datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        if value is None:
            raise ValueError(gettext("unreadable time %(value)r") % {"value": raw}) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def parse_participant_report(*, content: bytes | str, zone) -> list[ParsedRow]:
    """Every data row of the report; rows that cannot be read carry an ``error``."""
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise ValidationError(gettext("The report is larger than 2 MB."))
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("latin-1")
    lines = list(csv.reader(io.StringIO(content)))
    # Some platforms put a meeting summary above the participant table: find the header.
    header_at = next(
        (
            i
            for i, row in enumerate(lines)
            if {"email", "join", "leave"} <= _header_map(row).keys()
            or {"email", "minutes"} <= _header_map(row).keys()
        ),
        None,
    )
    if header_at is None:
        raise ValidationError(
            gettext(
                "This does not look like a participant report: it needs columns for e-mail and "
                "either join and leave times or duration in minutes."
            )
        )
    columns = _header_map(lines[header_at])
    rows = []
    for offset, cells in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                gettext("The report has more than %(count)d rows.") % {"count": MAX_ROWS}
            )

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = ParsedRow(
            line=offset, name=cell("name"), email=cell("email").lower(), join=None, leave=None,
            minutes=None,
        )  # fmt: skip
        try:
            if not EMAIL.match(row.email):
                raise ValueError(gettext("no valid e-mail address"))
            row.join = _parse_time(cell("join"), zone)
            row.leave = _parse_time(cell("leave"), zone)
            raw_minutes = cell("minutes")
            if raw_minutes:
                row.minutes = float(raw_minutes)
                if not 0 <= row.minutes <= 24 * 60:
                    raise ValueError(gettext("duration out of range"))
            if row.join and row.leave and row.leave < row.join:
                raise ValueError(gettext("leave time before join time"))
            if row.minutes is None and not (row.join and row.leave):
                raise ValueError(gettext("neither join and leave times nor a duration"))
        except ValueError as error:
            row.error = gettext("Line %(line)s: %(problem)s.") % {
                "line": row.line,
                "problem": error,
            }
        rows.append(row)
    return rows


def _interval(row: ParsedRow, event) -> tuple[datetime.datetime, datetime.datetime] | None:
    if row.join is None or row.leave is None:
        return None
    start, end = row.join, row.leave
    # Time in the meeting room before the start or after the end is not training time.
    if event.starts_at and event.ends_at:
        start, end = max(start, event.starts_at), min(end, event.ends_at)
    return (start, end) if end > start else (start, start)


def attended_minutes(rows: list[ParsedRow], event) -> int:
    """Minutes in the event across a person's joins; overlapping joins count once."""
    intervals = [_interval(r, event) for r in rows]
    if all(i is not None for i in intervals):
        merged: list[list[datetime.datetime]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        minutes = sum((end - start).total_seconds() for start, end in merged) / 60
    else:
        minutes = sum(r.minutes or 0 for r in rows)
    length = event_minutes(event)
    return int(min(minutes, length) if length else minutes)


def _zone(event):
    try:
        return zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def registrants(*, event) -> dict[str, Enrollment]:
    """Current registrants by lower-case e-mail."""
    enrollments = Enrollment.objects.filter(training_id=event.pk, status__in=SEATED).select_related(
        "learner"
    )
    return {e.learner.email.lower(): e for e in enrollments}


@transaction.atomic
def preview_attendance_import(*, event, uploaded_by, filename: str, content) -> AttendanceImport:
    """Read the report and store what it would do; attendance is not touched yet."""
    rows = parse_participant_report(content=content, zone=_zone(event))
    by_email = registrants(event=event)
    report, groups = [], {}
    for row in rows:
        entry = {"line": row.line, "name": row.name, "email": row.email}
        if row.error:
            entry.update(outcome=Outcome.MALFORMED, message=row.error)
        elif row.email not in by_email:
            entry.update(
                outcome=Outcome.UNKNOWN,
                message=gettext("Line %(line)s: %(email)s is not registered for this event.")
                % {"line": row.line, "email": row.email},
            )
        elif row.email in groups:
            groups[row.email].append(row)
            entry.update(
                outcome=Outcome.MERGED,
                message=gettext(
                    "Line %(line)s: another join by %(email)s, merged with line %(first)s."
                )
                % {"line": row.line, "email": row.email, "first": groups[row.email][0].line},
            )
        else:
            groups[row.email] = [row]
            entry.update(outcome=Outcome.MATCHED, message="")
        report.append(entry)
    matched = {}
    for email, group in groups.items():
        joins = [r.join for r in group if r.join]
        leaves = [r.leave for r in group if r.leave]
        matched[str(by_email[email].pk)] = {
            "email": email,
            "minutes": attended_minutes(group, event),
            "first_join": min(joins).isoformat() if joins else None,
            "last_leave": max(leaves).isoformat() if leaves else None,
        }
    for entry in report:
        if entry["outcome"] == Outcome.MATCHED:
            enrollment_id = str(by_email[entry["email"]].pk)
            entry["minutes"] = matched[enrollment_id]["minutes"]
    return AttendanceImport.objects.create(
        event=event, uploaded_by=uploaded_by, filename=filename[:255], rows=report, matched=matched
    )


def confirm_attendance_import(*, batch: AttendanceImport, by) -> AttendanceImport:
    """Write every matched attendance at once, then run the completion rules."""
    with transaction.atomic():
        batch = AttendanceImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.PREVIEW:
            raise ValidationError(gettext("This report was already imported or discarded."))
        valid = set(
            Enrollment.objects.filter(
                pk__in=[int(k) for k in batch.matched],
                training_id=batch.event_id,
                status__in=SEATED,
            ).values_list("pk", flat=True)
        )
        if len(valid) != len(batch.matched):
            raise ValidationError(
                gettext("Registrations changed since the preview: upload the report again.")
            )
        for enrollment_id, data in batch.matched.items():
            Attendance.objects.update_or_create(
                enrollment_id=int(enrollment_id),
                defaults={
                    "minutes": data["minutes"],
                    "first_join": data["first_join"],
                    "last_leave": data["last_leave"],
                    "source": AttendanceSource.IMPORT,
                    "recorded_by": by,
                    "import_batch": batch,
                    "note": "",
                },
            )
        batch.status = ImportStatus.CONFIRMED
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["status", "confirmed_at"])
    for enrollment_id in batch.matched:
        evaluate_completion(enrollment_id=int(enrollment_id))
    return batch


def discard_attendance_import(*, batch: AttendanceImport) -> AttendanceImport:
    updated = AttendanceImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.DISCARDED
    )
    if not updated:
        raise ValidationError(gettext("This report was already imported or discarded."))
    batch.refresh_from_db()
    return batch


def record_manual_attendance(*, enrollment, minutes, by, note: str = "") -> Attendance:
    """The facilitator's own count for one registrant, e.g. someone who dialled in by phone."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError({"minutes": gettext("Enter whole minutes.")}) from None
    length = event_minutes(enrollment.training.specific)
    if minutes < 0 or (length and minutes > length):
        raise ValidationError(
            {
                "minutes": gettext("Enter between 0 and %(length)s minutes.") % {"length": length}
                if length
                else gettext("Enter at least 0 minutes.")
            }
        )
    if enrollment.status not in SEATED:
        raise ValidationError(gettext("Only registrants with a seat can be marked as attending."))
    with transaction.atomic():
        attendance, _ = Attendance.objects.update_or_create(
            enrollment=enrollment,
            defaults={
                "minutes": minutes,
                "source": AttendanceSource.MANUAL,
                "recorded_by": by,
                "import_batch": None,
                "note": note[:255],
            },
        )
    evaluate_completion(enrollment_id=enrollment.pk)
    return attendance

"""Roster files: read a CSV (email, name, job role, program), report every line, import on
confirmation.

Reading changes nothing but the stored preview. A file with errors imports nothing unless the
manager confirms that only its valid lines are to be imported. E-mail addresses are compared
without regard to case, within the file and against the roster and existing accounts.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from centers.selectors import programs_of, staff_by_email
from centers.services import RosterError, add_staff, normalize_email, send_invitations
from lms.accounts.models import User
from lms.organizations.models import ON_ROSTER, RosterImport, RosterImportStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Accepted spellings of each column heading (compared lower-cased, "_" and "-" as spaces),
# in English and in Spanish, whatever the manager's language.
COLUMNS = {
    "email": {
        "email",
        "e mail",
        "email address",
        "e mail address",
        "correo",
        "correo electronico",
        "correo electrónico",
    },
    "name": {"name", "full name", "staff name", "nombre", "nombre completo"},
    "job_role": {"job role", "role", "job title", "position", "puesto", "cargo"},
    "program": {"program", "programme", "programa"},
}

# What a line of the file does, by the code kept with it: the preview shows each line in the
# language of whoever reads it, not of whoever uploaded the file.
ROW_MESSAGES = {
    "no_email": gettext_lazy("No e-mail address."),
    "invalid_email": gettext_lazy("“%(email)s” is not a valid e-mail address."),
    "duplicate": gettext_lazy("Duplicate: %(email)s is already on line %(line)s."),
    "unknown_program": gettext_lazy("Unknown program “%(program)s” (this center's: %(known)s)."),
    "on_roster": gettext_lazy("Already on the roster: unchanged."),
    "existing": gettext_lazy("Has an Attune account, which stays theirs: invited to join."),
    "new": gettext_lazy("New account, invited to join."),
}


def row_message(row: dict) -> str:
    """The line's outcome in words, in the active language (a line stored before outcomes
    had codes keeps its message)."""
    text = ROW_MESSAGES.get(row.get("code", ""))
    if text is None:
        return row.get("message", "")
    params = dict(row.get("params") or {})
    if params.get("known") == "":
        params["known"] = _("none yet")
    return str(text) % params if params else str(text)


def _outcome(row: dict, outcome: str, code: str, **params) -> None:
    row["outcome"], row["code"], row["params"] = outcome, code, params
    row["message"] = row_message(row)


class RosterFileError(Exception):
    """The file as a whole cannot be read; the message says how to fix it."""


def _heading(value: str) -> str:
    return " ".join((value or "").replace("_", " ").replace("-", " ").lower().split())


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, value in enumerate(header):
        key = next((k for k, names in COLUMNS.items() if _heading(value) in names), None)
        if key and key not in found:
            found[key] = index
    if "email" not in found:
        raise RosterFileError(
            _(
                "The first line must name the columns, with at least “email” (and optionally "
                "“name”, “job role” and “program”)."
            )
        )
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileError(
            _("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.")
        ) from error


def parse_roster(data: bytes) -> list[dict]:
    """The file's data lines as dicts with the physical line number; blank lines skipped."""
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    reader = csv.reader(io.StringIO(_decode(data)))
    try:
        header = next(reader, None)
        if header is None:
            raise RosterFileError(_("The file is empty."))
        columns = _columns(header)
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise RosterFileError(
                    _("The file has more than %(count)s lines: split it.") % {"count": MAX_ROWS}
                )
            cell = {
                key: (values[i].strip() if i < len(values) else "") for key, i in columns.items()
            }
            rows.append(
                {
                    "line": reader.line_num,
                    "email": cell.get("email", ""),
                    "name": cell.get("name", ""),
                    "job_role": cell.get("job_role", ""),
                    "program": cell.get("program", ""),
                }
            )
    except csv.Error as error:
        raise RosterFileError(
            _("Line %(line)s cannot be read as CSV: %(error)s.")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise RosterFileError(_("The file has no staff lines under its heading line."))
    return rows


def check_rows(*, center, rows: list[dict]) -> list[dict]:
    """Each row with its outcome: ``new`` (an account is created), ``existing`` (the person's
    own account is kept), ``on_roster`` (nothing to do) or ``error`` with the reason. Three
    queries whatever the number of rows."""
    programs = {p.name.lower(): p.name for p in programs_of(center=center)}
    emails = [r["email"] for r in rows if r["email"]]
    on_roster = {
        email
        for email, staff in staff_by_email(center=center, emails=emails).items()
        if staff.status in ON_ROSTER
    }
    accounts = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in={e.lower() for e in emails})
        .values_list("email_lower", flat=True)
    )
    first_line: dict[str, int] = {}
    checked = []
    for row in rows:
        row = {**row, "outcome": "error", "message": ""}
        email = row["email"]
        if not email:
            _outcome(row, "error", "no_email")
        else:
            try:
                normalize_email(email)
            except ValidationError:
                _outcome(row, "error", "invalid_email", email=email)
        key = email.lower()
        if not row["message"] and key in first_line:
            _outcome(row, "error", "duplicate", email=email, line=first_line[key])
        if not row["message"] and row["program"] and row["program"].lower() not in programs:
            known = ", ".join(sorted(programs.values()))
            _outcome(row, "error", "unknown_program", program=row["program"], known=known)
        if not row["message"]:
            first_line[key] = row["line"]
            if row["program"]:
                row["program"] = programs[row["program"].lower()]
            if key in on_roster:
                _outcome(row, "on_roster", "on_roster")
            elif key in accounts:
                _outcome(row, "existing", "existing")
            else:
                _outcome(row, "new", "new")
        checked.append(row)
    return checked


def read_roster_file(*, center, data: bytes, filename: str, by) -> RosterImport:
    """Read and check a roster file, keeping the report for the manager to confirm."""
    rows = check_rows(center=center, rows=parse_roster(data))
    return RosterImport.objects.create(
        center=center, uploaded_by=by, filename=(filename or "")[:255], rows=rows
    )


@transaction.atomic
def confirm_roster_import(*, roster_import: RosterImport, by, valid_rows_only=False) -> int:
    """Import the file's valid lines and send the invitations. A file with errors imports
    nothing unless ``valid_rows_only`` says the manager chose to skip those lines. Returns the
    number of people added."""
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if roster_import.status != RosterImportStatus.PREVIEW:
        raise RosterError(_("This file has already been imported or discarded."))
    errors = roster_import.errors
    if errors and not valid_rows_only:
        raise RosterError(
            ngettext(
                "%(count)d line has errors: nothing was imported. Fix the file and upload it "
                "again, or confirm that only the valid lines are imported.",
                "%(count)d lines have errors: nothing was imported. Fix the file and upload it "
                "again, or confirm that only the valid lines are imported.",
                len(errors),
            )
            % {"count": len(errors)}
        )
    center = roster_import.center
    programs = {p.name.lower(): p for p in programs_of(center=center)}
    # Checked again now: the roster may have changed since the preview.
    current = check_rows(center=center, rows=roster_import.valid_rows)
    added = []
    for row in current:
        if row["outcome"] == "on_roster":
            continue
        if row["outcome"] == "error":
            raise RosterError(
                _("Line %(line)s: %(problem)s Nothing was imported.")
                % {"line": row["line"], "problem": row["message"]}
            )
        result = add_staff(
            center=center,
            email=row["email"],
            name=row["name"],
            job_role=row["job_role"],
            program=programs.get(row["program"].lower()) if row["program"] else None,
            by=by,
            invite=False,
        )
        added.append(result.staff.pk)
    send_invitations(staff_ids=added)
    roster_import.status = RosterImportStatus.CONFIRMED
    roster_import.confirmed_at = timezone.now()
    roster_import.save(update_fields=["status", "confirmed_at"])
    return len(added)


@transaction.atomic
def discard_roster_import(*, roster_import: RosterImport) -> RosterImport:
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if roster_import.status != RosterImportStatus.PREVIEW:
        raise RosterError(_("This file has already been imported or discarded."))
    roster_import.status = RosterImportStatus.DISCARDED
    roster_import.save(update_fields=["status"])
    return roster_import

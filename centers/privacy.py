"""A person's places on center rosters and the seats they held, in their download; erasure
takes them off every roster and clears what centers typed about them. Registered with
``lms.accounts.privacy`` on import, from ``CentersConfig.ready()``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from lms.accounts.privacy import model_rows, register_section
from lms.organizations.models import (
    ON_ROSTER,
    RosterImport,
    SeatAssignment,
    StaffMember,
    StaffStatus,
)


def export_center_staff(*, user):
    return model_rows(
        StaffMember.objects.filter(user=user).select_related("center", "program"), user=user
    )


def export_seats(*, user):
    return model_rows(
        SeatAssignment.objects.filter(staff__user=user).select_related(
            "contract", "contract_training", "staff__center"
        ),
        user=user,
        exclude=("staff",),
    )


def _scrub_row(row: dict, *, emails: set[str], anonymous_email: str) -> dict:
    if str(row.get("email", "")).strip().lower() not in emails:
        return row
    params = row.get("params") or {}
    if "email" in params:
        params = {**params, "email": anonymous_email}
    message = str(row.get("message", "")).replace(str(row.get("email", "")), anonymous_email)
    return {
        **row,
        "email": anonymous_email,
        "name": "",
        "job_role": "",
        "params": params,
        "message": message,
    }


def erase_center_staff(*, user, anonymous_id):
    now = timezone.now()
    StaffMember.objects.filter(user=user, status__in=ON_ROSTER).update(
        status=StaffStatus.LEFT, ended_at=now
    )
    StaffMember.objects.filter(user=user).update(roster_name="", job_role="")
    emails = {user.email.strip().lower()}
    anonymous_email = f"{anonymous_id}@invalid"
    # Roster files awaiting confirmation (or kept after it) hold the line the center typed.
    for roster_import in RosterImport.objects.filter(center__staff_members__user=user).distinct():
        rows = [
            _scrub_row(row, emails=emails, anonymous_email=anonymous_email)
            for row in roster_import.rows
        ]
        if rows != roster_import.rows:
            RosterImport.objects.filter(pk=roster_import.pk).update(rows=rows)


def register() -> None:
    """Runs on import; registering again replaces."""
    register_section(
        "center_staff",
        description=gettext_lazy("Center rosters you are or were on"),
        export=export_center_staff,
        erase=erase_center_staff,
    )
    register_section(
        "center_seats",
        description=gettext_lazy("Seats centers assigned to you"),
        export=export_seats,
    )


register()

"""Facilitators' attendance screens for a live event: registrants, importing a participant
report (preview, then confirm), and attendance entered by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..conf import config
from ..models import (
    Attendance,
    AttendanceImport,
    Enrollment,
    EnrollmentStatus,
    ImportStatus,
    LiveEventPage,
)
from ..selectors.completion import event_minutes
from ..selectors.events import can_facilitate
from ..services.attendance import (
    Outcome,
    confirm_attendance_import,
    discard_attendance_import,
    preview_attendance_import,
    record_manual_attendance,
)

# What each outcome of a participant report's row is called on the preview.
OUTCOME_LABELS = {
    Outcome.MATCHED: gettext_lazy("Matched"),
    Outcome.MERGED: gettext_lazy("Merged join"),
    Outcome.UNKNOWN: gettext_lazy("Not registered"),
    Outcome.MALFORMED: gettext_lazy("Could not read"),
}


def _event_for_facilitator(request, event_id) -> LiveEventPage:
    event = get_object_or_404(LiveEventPage, pk=event_id)
    if not can_facilitate(user=request.user, training=event):
        raise PermissionDenied(_("Only the event's facilitators manage its attendance."))
    return event


@login_required
def attendance(request, event_id):
    event = _event_for_facilitator(request, event_id)
    if request.method == "POST":
        if request.POST.get("action") == "upload":
            upload = request.FILES.get("report")
            if upload is None:
                messages.error(request, _("Choose the participant report (a CSV file)."))
            else:
                try:
                    batch = preview_attendance_import(
                        event=event,
                        uploaded_by=request.user,
                        filename=upload.name,
                        content=upload.read(),
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    return redirect(
                        "learning:attendance_preview", event_id=event.pk, batch_id=batch.pk
                    )
        elif request.POST.get("action") == "manual":
            enrollment = get_object_or_404(
                Enrollment, pk=request.POST.get("enrollment"), training_id=event.pk
            )
            try:
                record_manual_attendance(
                    enrollment=enrollment,
                    minutes=request.POST.get("minutes"),
                    by=request.user,
                    note=request.POST.get("note", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Attendance saved for %(email)s.") % {"email": enrollment.learner.email},
                )
        return redirect("learning:attendance", event_id=event.pk)
    enrollments = (
        Enrollment.objects.filter(training_id=event.pk)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("learner", "record")
        .order_by("status", "learner__last_name", "learner__email")
    )
    minutes = dict(
        Attendance.objects.filter(enrollment__training_id=event.pk).values_list(
            "enrollment_id", "minutes"
        )
    )
    return render(
        request,
        "courses/learning/attendance.html",
        {
            "event": event,
            "rows": [(e, minutes.get(e.pk)) for e in enrollments],
            "event_minutes": event_minutes(event),
            "attendance_percent": event.minimum_attendance_percent or config().attendance_percent,
        },
    )


@login_required
def attendance_preview(request, event_id, batch_id):
    event = _event_for_facilitator(request, event_id)
    batch = get_object_or_404(AttendanceImport, pk=batch_id, event=event)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                confirm_attendance_import(batch=batch, by=request.user)
                count = len(batch.matched)
                messages.success(
                    request,
                    ngettext(
                        "Attendance imported for %(count)d person.",
                        "Attendance imported for %(count)d people.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                discard_attendance_import(batch=batch)
                messages.info(request, _("The report was discarded; nothing was imported."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:attendance", event_id=event.pk)
    counts = {}
    for row in batch.rows:
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    return render(
        request,
        "courses/learning/attendance_preview.html",
        {
            "event": event,
            "batch": batch,
            "counts": [
                (OUTCOME_LABELS.get(outcome, outcome), count) for outcome, count in counts.items()
            ],
            "pending": batch.status == ImportStatus.PREVIEW,
            "event_minutes": event_minutes(event),
        },
    )

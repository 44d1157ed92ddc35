"""Facilitators' views of a live event: registrants, attendance import, manual attendance;
and associations' learning reports."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.models import Organization
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can
from lms.records.documents import csv_safe

from .conf import config
from .models import (
    Attendance,
    AttendanceImport,
    Enrollment,
    EnrollmentStatus,
    ImportStatus,
    LiveEventPage,
)
from .selectors import reports
from .selectors.events import can_facilitate
from .services.attendance import (
    confirm_attendance_import,
    discard_attendance_import,
    preview_attendance_import,
    record_manual_attendance,
)
from .services.completion import event_minutes


def _event_for_facilitator(request, event_id) -> LiveEventPage:
    event = get_object_or_404(LiveEventPage, pk=event_id)
    if not can_facilitate(user=request.user, training=event):
        raise PermissionDenied("Only the event's facilitators manage its attendance.")
    return event


@login_required
def attendance(request, event_id):
    event = _event_for_facilitator(request, event_id)
    if request.method == "POST":
        if request.POST.get("action") == "upload":
            upload = request.FILES.get("report")
            if upload is None:
                messages.error(request, "Choose the participant report (a CSV file).")
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
                messages.success(request, f"Attendance saved for {enrollment.learner.email}.")
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
                messages.success(request, f"Attendance imported for {len(batch.matched)} people.")
            else:
                discard_attendance_import(batch=batch)
                messages.info(request, "The report was discarded; nothing was imported.")
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
            "counts": counts,
            "pending": batch.status == ImportStatus.PREVIEW,
            "event_minutes": event_minutes(event),
        },
    )


def _report_organization(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not user_can(
        user=request.user, action=Action.VIEW_ISSUED_RECORDS, organization=organization
    ):
        raise PermissionDenied("You cannot see this organization's reports.")
    return organization


@login_required
def reports_index(request):
    organizations = organizations_where(user=request.user, action=Action.VIEW_ISSUED_RECORDS)
    if organizations.count() == 1:
        return redirect("learning:report", slug=organizations.get().slug)
    return render(request, "courses/learning/reports_index.html", {"organizations": organizations})


@login_required
def report(request, slug):
    organization = _report_organization(request, slug)
    return render(
        request,
        "courses/learning/report.html",
        {
            "organization": organization,
            "months": reports.completions_by_month(organization=organization),
            "quizzes": reports.item_analysis(organization=organization),
            "surveys": reports.evaluation_summaries(organization=organization),
        },
    )


def _csv_response(filename, header, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(str(value)) for value in row])
    return response


@login_required
def report_csv(request, slug, kind):
    organization = _report_organization(request, slug)
    if kind == "completions":
        # Learners' names and e-mails (the other reports are aggregates).
        record_event(
            action=AuditAction.DATA_EXPORTED,
            organization=organization,
            details=export_details(request),
        )
        return _csv_response(
            f"{slug}-completions.csv",
            ["completed_at", "learner_email", "learner_name", "training", "training_id", "record"],
            (
                (
                    e.completed_at.isoformat(),
                    e.learner.email,
                    e.learner.get_full_name(),
                    e.training.title,
                    e.training_id,
                    request.build_absolute_uri(
                        reverse("records:detail", args=[e.record.verification_id])
                    )
                    if e.record
                    else "",
                )
                for e in reports.completion_rows(organization=organization)
            ),
        )
    if kind == "items":
        return _csv_response(
            f"{slug}-post-test-items.csv",
            ["quiz", "question", "answered", "correct", "percent_correct"],
            (
                (r.quiz.title, item.prompt, item.answered, item.correct, item.percent_correct)
                for r in reports.item_analysis(organization=organization)
                for item in r.items
            ),
        )
    if kind == "evaluations":
        return _csv_response(
            f"{slug}-evaluations.csv",
            ["survey", "item", "responses", "mean", "answers"],
            (
                row
                for s in reports.evaluation_summaries(organization=organization)
                for row in [
                    *((s.title, lk.prompt, lk.responses, lk.mean, "") for lk in s.likert),
                    *(
                        (s.title, prompt, len(texts), "", " | ".join(texts))
                        for prompt, texts in s.comments
                    ),
                ]
            ),
        )
    return redirect("learning:report", slug=slug)

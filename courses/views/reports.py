"""Associations' learning reports: completions over time, post-test items, evaluations,
and their CSV downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.models import Organization
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can
from lms.records.spreadsheets import SpreadsheetWriter

from ..selectors import reports


def _report_organization(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not user_can(
        user=request.user, action=Action.VIEW_ISSUED_RECORDS, organization=organization
    ):
        raise PermissionDenied(gettext("You cannot see this organization's reports."))
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
    writer = SpreadsheetWriter(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
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

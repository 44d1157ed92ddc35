"""Wagtail admin screens for organizations: the records they issued, amendments, revocation.

Every view is scoped with ``organizations_where(user, VIEW_ISSUED_RECORDS)``; amending and
revoking also need ``AMEND_ISSUED_RECORDS`` on the record's issuing organization.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can

from ..credit_documents import credit_roster_csv
from ..facts import facts_for
from ..forms import AmendmentForm, ReasonForm
from ..forms_credits import RosterCreditRangeForm
from ..links import verification_url
from ..models import TrainingRecord
from ..selectors.credits import credit_roster_for, roster_kinds_for
from ..selectors.issued import issued_records_for
from ..selectors.records import with_facts
from ..services import amendments
from ..spreadsheets import SpreadsheetWriter

PAGE_SIZE = 50


def _issued(request):
    orgs = organizations_where(user=request.user, action=Action.VIEW_ISSUED_RECORDS)
    organization = None
    org_id = request.GET.get("organization")
    if org_id and org_id.isdigit():
        organization = orgs.filter(pk=int(org_id)).first()
    search = request.GET.get("q", "").strip()[:100]
    qs = issued_records_for(user=request.user, organization=organization, search=search)
    return orgs, organization, search, qs


def issued_records(request):
    orgs, organization, search, qs = _issued(request)
    if not orgs.exists():
        raise PermissionDenied
    if request.GET.get("format") == "csv":
        for exported in [organization] if organization else orgs:
            record_event(
                action=AuditAction.DATA_EXPORTED,
                organization=exported,
                details=export_details(request),
            )
        return _issued_csv(qs)
    page = Paginator(with_facts(qs), PAGE_SIZE).get_page(request.GET.get("p"))
    rows = [(record, facts_for(record)) for record in page.object_list]
    return TemplateResponse(
        request,
        "records/admin/issued_records.html",
        {
            "page_obj": page,
            "rows": rows,
            "organizations": orgs,
            "organization": organization,
            "search": search,
        },
    )


def _issued_csv(qs):
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="issued-records.csv"'
    writer = SpreadsheetWriter(response)
    writer.writerow(
        [
            _("Date"),
            _("Learner"),
            _("E-mail"),
            _("Title"),
            _("Hours"),
            _("Provider"),
            _("Tier"),
            _("Status"),
            _("URL"),
        ]
    )
    for record in with_facts(qs).iterator(chunk_size=500):
        facts = facts_for(record)
        writer.writerow(
            [
                facts.completed_on.isoformat(),
                record.learner.get_full_name(),
                record.learner.email,
                facts.title,
                f"{facts.duration_hours:.2f}",
                record.provider_organization.name,
                record.get_verification_tier_display(),
                record.get_status_display(),
                verification_url(record),
            ]
        )
    return response


def credit_roster(request):
    """One credit kind's claims in a period, for the awarding body's audit: the page asks,
    the CSV answers (an audited export, like the issued records')."""
    if not organizations_where(user=request.user, action=Action.VIEW_ISSUED_RECORDS).exists():
        raise PermissionDenied
    kinds = list(roster_kinds_for(user=request.user))
    bound = any(name in request.GET for name in ("kind", "start", "end"))
    today = timezone.localdate()
    form = RosterCreditRangeForm(
        request.GET if bound else None,
        kinds=kinds,
        initial={"start": datetime.date(today.year - 1, 1, 1), "end": today},
    )
    lines = None
    if bound and form.is_valid():
        kind = form.chosen_kind
        lines = credit_roster_for(
            kind=kind, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if request.GET.get("format") == "csv":
            record_event(
                action=AuditAction.DATA_EXPORTED,
                organization=kind.organization,
                details=export_details(request),
            )
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            name = (
                f"credit-roster-{kind.code}-{form.cleaned_data['start']}-{form.cleaned_data['end']}"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            credit_roster_csv(lines, out=response)
            return response
    return TemplateResponse(
        request,
        "records/admin/credit_roster.html",
        {"form": form, "kinds": kinds, "lines": lines},
    )


def _record_for_admin(request, verification_id) -> TrainingRecord:
    orgs = organizations_where(user=request.user, action=Action.VIEW_ISSUED_RECORDS)
    record = (
        with_facts(
            TrainingRecord.objects.filter(
                verification_id=verification_id, provider_organization__in=orgs
            )
        )
        .select_related("learner", "provider_organization")
        .prefetch_related("events__actor", "amendments__amended_by")
        .first()
    )
    if record is None:
        raise Http404(_("No such record among those your organizations issued."))
    return record


@require_http_methods(["GET", "POST"])
def issued_record(request, verification_id):
    record = _record_for_admin(request, verification_id)
    may_amend = user_can(
        user=request.user,
        action=Action.AMEND_ISSUED_RECORDS,
        organization=record.provider_organization,
    )
    facts = facts_for(record)
    amend_form = AmendmentForm(facts=facts, prefix="amend")
    revoke_form = ReasonForm(prefix="revoke")
    if request.method == "POST":
        if not may_amend:
            raise PermissionDenied
        if "amend" in request.POST:
            amend_form = AmendmentForm(request.POST, facts=facts, prefix="amend")
            if amend_form.is_valid():
                try:
                    amendments.amend_record(
                        record=record,
                        by=request.user,
                        reason=amend_form.cleaned_data["reason"],
                        **amend_form.changes(),
                    )
                except ValidationError as exc:
                    amend_form.add_service_errors(exc)
                else:
                    messages.success(request, _("The amendment was recorded."))
                    return redirect("records_admin:issued_record", record.verification_id)
        elif "revoke" in request.POST:
            revoke_form = ReasonForm(request.POST, prefix="revoke")
            if revoke_form.is_valid():
                try:
                    amendments.revoke_record(
                        record=record, by=request.user, reason=revoke_form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    revoke_form.add_error(None, exc)
                else:
                    messages.success(request, _("The record was revoked."))
                    return redirect("records_admin:issued_record", record.verification_id)
    return TemplateResponse(
        request,
        "records/admin/issued_record.html",
        {
            "record": record,
            "facts": facts,
            "amendments": record.amendments.all(),
            "events": record.events.all(),
            "may_amend": may_amend and not record.is_revoked,
            "amend_form": amend_form,
            "revoke_form": revoke_form,
            "verification_url": verification_url(record),
        },
    )

"""The association administrator's members screens in Wagtail's admin: the list of the
association's memberships (filtered by status, searched by name or e-mail, exported as
CSV), recording dues paid by check and cancelling a membership.

Each screen shows and acts on the associations whose payments the signed-in user manages
(``Action.MANAGE_PAYMENTS``) and nothing of another's: another association's membership is
a 404. Writes go through ``services`` (which check the permission again and audit).
"""

import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.menu import MenuItem

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.money import currency_of, format_money, from_minor
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere
from lms.records.spreadsheets import SpreadsheetWriter

from .forms import CancelMembershipForm, RecordMembershipForm
from .models import MembershipStatus
from .selectors import admin_membership, managed_associations, members_for_admin
from .services import cancel_membership, record_membership_by_hand

PAGE_SIZE = 50


def _associations(user):
    associations = managed_associations(user=user)
    if not associations.exists():
        raise PermissionDenied
    return associations


def _filters(request, associations) -> dict:
    """The list's filters as typed, each checked: an unknown value is no filter."""
    status = request.GET.get("status", "")
    association = request.GET.get("association", "")
    return {
        "status": status if status in MembershipStatus.values else "",
        "q": request.GET.get("q", "").strip()[:100],
        "association": next((a for a in associations if str(a.pk) == association), None),
    }


def _filtered(associations, filters):
    chosen = [filters["association"]] if filters["association"] else associations
    return members_for_admin(associations=chosen, status=filters["status"], query=filters["q"])


def _last_term(membership):
    terms = list(membership.terms.all())  # prefetched, ordered by start
    return terms[-1] if terms else None


def _how_paid(membership) -> str:
    term = _last_term(membership)
    how = membership.get_source_display()
    if term is not None and term.amount:
        how += " · " + format_money(term.amount, currency_of(membership.association))
    return how


@require_GET
def members(request):
    associations = list(_associations(request.user))
    filters = _filters(request, associations)
    found = _filtered(associations, filters).prefetch_related("terms")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("p"))
    rows = [(m, _how_paid(m)) for m in page.object_list]
    query = {k: v for k, v in request.GET.items() if k != "p" and v}
    return TemplateResponse(
        request,
        "commerce/memberships/admin/members.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "statuses": MembershipStatus.choices,
            "associations": associations if len(associations) > 1 else [],
            "query": urlencode(query),
            "csv_url": reverse("memberships_admin:members_csv") + "?" + urlencode(query),
        },
    )


CSV_HEADER = (
    "association",
    "member",
    "email",
    "plan",
    "status",
    "starts_on",
    "ends_on",
    "source",
    "last_amount",
    "currency",
    "note",
)


@require_GET
def members_csv(request):
    associations = list(_associations(request.user))
    filters = _filters(request, associations)
    found = _filtered(associations, filters).prefetch_related("terms")
    buffer = io.StringIO()
    writer = SpreadsheetWriter(buffer)
    writer.writerow(CSV_HEADER)
    for membership in found.iterator(chunk_size=500):
        term = _last_term(membership)
        writer.writerow(
            (
                membership.association.name,
                membership.person.get_full_name(),
                membership.person.email,
                membership.plan.name,
                membership.status,
                membership.starts_on.isoformat(),
                membership.ends_on.isoformat(),
                membership.source,
                # In the currency's major unit ("70.00"), like the revenue report's CSV.
                str(from_minor(term.amount, currency_of(membership.association)))
                if term is not None
                else "",
                currency_of(membership.association),
                membership.note,
            )
        )
    # People's data left Attune: one entry per association it covered.
    for association in [filters["association"]] if filters["association"] else associations:
        record_event(
            action=AuditAction.DATA_EXPORTED,
            organization=association,
            target_repr=_("Members of %(association)s") % {"association": association.name},
            request=request,
            details=export_details(request),
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members.csv"'
    return response


@require_http_methods(["GET", "POST"])
def record(request):
    associations = _associations(request.user)
    form = RecordMembershipForm(request.POST or None, associations=associations)
    submission = request.POST.get("submission") or str(uuid.uuid4())
    try:
        submission = str(uuid.UUID(submission))
    except ValueError:
        submission = str(uuid.uuid4())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = data["plan"]
        try:
            term = record_membership_by_hand(
                person=form.person,
                plan=plan,
                by=request.user,
                amount=plan.annual_dues if data["amount"] is None else data["amount"],
                note=data["note"],
                starts_on=data["starts_on"],
                submission=uuid.UUID(submission),
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(person)s is a member of %(association)s until %(day)s.")
                % {
                    "person": form.person.get_full_name() or form.person.email,
                    "association": plan.association.name,
                    "day": date_format(term.membership.ends_on, "DATE_FORMAT"),
                },
            )
            return redirect(
                reverse("memberships_admin:members") + "?" + urlencode({"q": form.person.email})
            )
    return TemplateResponse(
        request,
        "commerce/memberships/admin/record.html",
        {"form": form, "submission": submission},
    )


@require_http_methods(["GET", "POST"])
def cancel(request, membership_id):
    _associations(request.user)
    membership = admin_membership(user=request.user, membership_id=membership_id)
    if membership is None:
        raise Http404("No such membership among those you manage.")
    form = CancelMembershipForm(request.POST or None)
    running = membership.status == MembershipStatus.ACTIVE
    if request.method == "POST" and form.is_valid():
        try:
            cancel_membership(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The membership is cancelled."))
        return redirect(
            reverse("memberships_admin:members") + "?" + urlencode({"q": membership.person.email})
        )
    return TemplateResponse(
        request,
        "commerce/memberships/admin/cancel.html",
        {
            "membership": membership,
            "form": form,
            "running": running,
            "terms": [
                (term, format_money(term.amount, currency_of(membership.association)))
                for term in membership.terms.all()
            ],
        },
    )


class MembersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_PAYMENTS)

"""The association administrator's invoice screens and revenue report in Wagtail's admin.

Each screen lists and acts on the associations whose payments the signed-in user manages
(``Action.MANAGE_PAYMENTS``) and nothing of another association's: an invoice or contract
outside them is a 404. Transitions are POSTs that call one service each; a refused one
(wrong state, a race lost) says why and changes nothing.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.money import currency_of, format_money
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere

from . import services
from .forms import CheckPaymentForm, IssueForm, PurchaseOrderForm, QuoteForm, VoidForm
from .models import InvoiceStatus
from .reports import money, revenue_csv, revenue_report
from .selectors import (
    admin_invoice,
    contracts_awaiting_quote,
    invoices_for_admin,
    paying_associations,
    quotable_contract,
)


def _associations(user):
    associations = paying_associations(user=user)
    if not associations.exists():
        raise PermissionDenied
    return associations


@require_GET
def index(request):
    _associations(request.user)
    status = request.GET.get("status", "")
    if status not in InvoiceStatus.values:
        status = ""
    invoices = list(invoices_for_admin(user=request.user, status=status)[:200])
    today = timezone.localdate()
    for invoice in invoices:
        invoice.total_text = format_money(invoice.total, invoice.currency)
        invoice.overdue = invoice.is_overdue(today)
    return TemplateResponse(
        request,
        "commerce/invoicing/admin/index.html",
        {
            "invoices": invoices,
            "awaiting": list(contracts_awaiting_quote(user=request.user)[:100]),
            "statuses": InvoiceStatus.choices,
            "status": status,
        },
    )


def _catalog_prices(contract) -> dict:
    """Each training's non-member price, to start the quote from (when prices exist)."""
    try:
        from courses.pricing import training_price
    except ImportError:
        return {}
    prices = {}
    for line in contract.trainings.all():
        try:
            prices[line.training_id] = training_price(training=line.training.specific, member=False)
        except (TypeError, ValueError, AttributeError):
            continue
    currency = currency_of(contract.association)
    # The form shows major units.
    from lms.money import from_minor

    return {pk: from_minor(amount, currency) for pk, amount in prices.items() if amount}


@require_http_methods(["GET", "POST"])
def quote(request, contract_id):
    _associations(request.user)
    contract = quotable_contract(user=request.user, contract_id=contract_id)
    if contract is None:
        raise Http404
    currency = currency_of(contract.association)
    form = QuoteForm(
        request.POST or None, contract=contract, currency=currency, prices=_catalog_prices(contract)
    )
    if request.method == "POST" and form.is_valid():
        lines = form.quote_lines()
        if form.is_valid():
            try:
                invoice = services.draw_up_quote(contract=contract, lines=lines, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "The quote for “%(contract)s” is drawn up: the center can now record "
                        "its purchase order."
                    )
                    % {"contract": contract.title},
                )
                return redirect("invoices_admin:invoice", invoice_id=invoice.pk)
    return TemplateResponse(
        request,
        "commerce/invoicing/admin/quote.html",
        {"contract": contract, "form": form, "currency": currency},
    )


def _invoice(request, invoice_id):
    _associations(request.user)
    invoice = admin_invoice(user=request.user, invoice_id=invoice_id)
    if invoice is None:
        raise Http404
    return invoice


@require_GET
def invoice(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    return _detail(request, invoice)


def _detail(request, invoice, **forms_given):
    cur = invoice.currency
    lines = [
        (line, format_money(line.unit_amount, cur), format_money(line.amount, cur))
        for line in invoice.lines.all()
    ]
    context = {
        "invoice": invoice,
        "lines": lines,
        "total": format_money(invoice.total, cur),
        "po_form": PurchaseOrderForm(initial={"po_number": invoice.po_number}),
        "issue_form": IssueForm(),
        "paid_form": CheckPaymentForm(),
        "void_form": VoidForm(),
        "statuses": InvoiceStatus,
        "overdue": invoice.is_overdue(timezone.localdate()),
    }
    context.update(forms_given)
    status = 400 if forms_given else 200
    return TemplateResponse(
        request, "commerce/invoicing/admin/invoice.html", context, status=status
    )


def _transition(request, invoice_id, form_class, form_name, act, done):
    invoice = _invoice(request, invoice_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(invoice, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done(invoice))
            return redirect("invoices_admin:invoice", invoice_id=invoice.pk)
    invoice.refresh_from_db()
    return _detail(request, invoice, **{form_name: form})


@require_POST
def record_po(request, invoice_id):
    return _transition(
        request,
        invoice_id,
        PurchaseOrderForm,
        "po_form",
        lambda invoice, data: services.record_purchase_order(
            invoice=invoice, po_number=data["po_number"], by=request.user
        ),
        lambda invoice: _("The purchase order number is recorded."),
    )


@require_POST
def issue(request, invoice_id):
    def act(invoice, data):
        issued = services.issue_invoice(
            invoice=invoice,
            by=request.user,
            due_on=data["due_on"],
            payment_instructions=data["payment_instructions"],
        )
        invoice.number = issued.number

    return _transition(
        request,
        invoice_id,
        IssueForm,
        "issue_form",
        act,
        lambda invoice: _("Invoice %(number)s is issued.") % {"number": invoice.number},
    )


@require_POST
def mark_paid(request, invoice_id):
    return _transition(
        request,
        invoice_id,
        CheckPaymentForm,
        "paid_form",
        lambda invoice, data: services.mark_paid_by_hand(
            invoice=invoice,
            by=request.user,
            check_number=data["check_number"],
            received_on=data["received_on"],
            note=data["note"],
        ),
        lambda invoice: (
            _("The invoice is paid; the contract “%(contract)s” is active.")
            % {"contract": invoice.contract.title}
        ),
    )


@require_POST
def void(request, invoice_id):
    return _transition(
        request,
        invoice_id,
        VoidForm,
        "void_form",
        lambda invoice, data: services.void_invoice(
            invoice=invoice, by=request.user, reason=data["reason"]
        ),
        lambda invoice: _("The invoice is void."),
    )


# ---------------------------------------------------------------------------------------------
# Revenue report


class ReportForm(forms.Form):
    association = forms.ModelChoiceField(label=gettext_lazy("Association"), queryset=None)
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, associations):
        # Always bound: what was not asked for is this year to date, the first association.
        today = timezone.localdate()
        first = associations.first()
        values = {
            "association": str(first.pk) if first else "",
            "start": today.replace(month=1, day=1).isoformat(),
            "end": today.isoformat(),
        }
        values.update({k: v for k, v in data.items() if k in values and v})
        super().__init__(values)
        self.fields["association"].queryset = associations

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end on or after the day it starts."))
        if start and end and (end - start) > datetime.timedelta(days=3660):
            self.add_error("end", _("Choose a period of at most ten years."))
        return cleaned


def _report(request):
    associations = _associations(request.user)
    form = ReportForm(request.GET, associations=associations.order_by("name"))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    report = revenue_report(association=data["association"], start=data["start"], end=data["end"])
    return form, report


@require_GET
def revenue(request):
    form, report = _report(request)
    context = {"form": form, "report": report}
    if report is not None:
        currency = currency_of(report.association)
        context.update(
            gross=money(report.gross, currency),
            refunded=money(report.refunded, currency),
            net=money(report.net, currency),
            owed=money(report.owed, currency),
            overdue=money(report.overdue, currency),
            sections=[
                (
                    section,
                    [(row, format_money(row.amount, row.currency)) for row in section.rows],
                    money(section.totals, currency),
                )
                for section in report.sections
            ],
            refunds=[(r, format_money(r.amount, r.currency)) for r in report.refunds],
            outstanding=[(i, format_money(i.total, i.currency)) for i in report.outstanding],
            csv_query=request.GET.urlencode(),
        )
    return TemplateResponse(request, "commerce/invoicing/admin/revenue.html", context)


@require_GET
def revenue_export(request):
    _form, report = _report(request)
    if report is None:
        raise Http404
    record_event(
        action=AuditAction.DATA_EXPORTED,
        organization=report.association,
        target_repr=_("Revenue report %(start)s to %(end)s")
        % {"start": report.start.isoformat(), "end": report.end.isoformat()},
        details=export_details(request),
    )
    response = HttpResponse(revenue_csv(report), content_type="text/csv; charset=utf-8")
    name = f"revenue-{report.association.slug}-{report.start.isoformat()}-{report.end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class PaymentsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_PAYMENTS)

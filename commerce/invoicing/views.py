"""Invoices and receipts outside the admin: a center's managers see their invoices, record
the purchase order number, download the PDF and pay by card; a buyer (or the association's
administrators) downloads an order's receipt. Anyone else gets a 404, so that another
center's invoice or another person's order is not even confirmed to exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from centers.selectors import center_for
from lms.money import format_money
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from . import services
from .forms import PurchaseOrderForm
from .models import InvoiceStatus
from .pdf import invoice_pdf, receipt_pdf
from .selectors import invoice_for_viewer, invoices_of_center

RECEIPT_STATUSES = ("paid", "partially_refunded", "refunded")


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def center_invoices(request, center):
    center = center_for(user=request.user, slug=center, action=Action.MANAGE_ROSTER)
    if center is None:
        raise Http404
    invoices = list(invoices_of_center(center=center))
    for invoice in invoices:
        invoice.total_text = format_money(invoice.total, invoice.currency)
    return render(
        request,
        "commerce/invoicing/center_invoices.html",
        {
            "center": center,
            "invoices": invoices,
            "po_form": PurchaseOrderForm(),
            "statuses": InvoiceStatus,
        },
    )


def _managed_invoice(request, reference):
    invoice = invoice_for_viewer(user=request.user, reference=reference)
    if invoice is None:
        raise Http404
    return invoice


@login_required
@require_POST
def invoice_po(request, invoice):
    invoice = _managed_invoice(request, invoice)
    if not services.may_record_purchase_order(user=request.user, invoice=invoice):
        raise Http404
    form = PurchaseOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the purchase order number."))
    else:
        try:
            services.record_purchase_order(
                invoice=invoice, po_number=form.cleaned_data["po_number"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Purchase order %(po)s recorded. %(association)s will send the invoice.")
                % {"po": form.cleaned_data["po_number"], "association": invoice.association.name},
            )
    return redirect("commerce:center_invoices", center=invoice.contract.center.slug)


@login_required
@require_POST
def invoice_pay(request, invoice):
    invoice = _managed_invoice(request, invoice)
    center = invoice.contract.center
    if not user_can(user=request.user, action=Action.MANAGE_ROSTER, organization=center):
        raise Http404
    try:
        order = services.start_card_payment(invoice=invoice, buyer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("commerce:center_invoices", center=center.slug)
    return redirect("commerce:pay", reference=order.reference)


@login_required
@require_GET
def invoice_document(request, invoice):
    invoice = _managed_invoice(request, invoice)
    name = invoice.number or f"quote-{invoice.contract.center.slug}"
    return _pdf_response(invoice_pdf(invoice, language=request.LANGUAGE_CODE), f"{name}.pdf")


@login_required
@require_GET
def receipt(request, reference):
    """The paid order's receipt, for its buyer and the association's administrators."""
    from commerce.models import Order

    order = (
        Order.objects.filter(reference=reference, status__in=RECEIPT_STATUSES)
        .select_related("association", "buyer")
        .prefetch_related("lines", "refunds")
        .first()
    )
    if order is None or not (
        order.buyer_id == request.user.pk
        or user_can(
            user=request.user, action=Action.MANAGE_PAYMENTS, organization=order.association
        )
    ):
        raise Http404
    data = receipt_pdf(order, fallback_language=request.LANGUAGE_CODE)
    return _pdf_response(data, f"receipt-{order.number or order.reference}.pdf")

"""Invoice and receipt PDFs, made as certificates are (``lms.records.documents``): a Django
template rendered by WeasyPrint, images inlined, in the association's brand.

A receipt speaks its buyer's language (``document_language``), whoever downloads it; an
invoice speaks the language of the person reading it (the center's manager or the
association's administrator). Amounts are written here, in that language, so the templates
only place them.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lms.money import format_money
from lms.organizations.branding import brand_for_organization
from lms.records.documents import _image_data_uri, render_pdf
from lms.records.language import document_language, offered_language
from lms.records.links import public_url

from .models import Invoice


def _branding(association) -> dict:
    brand = brand_for_organization(association)
    logo = brand.logo_image or getattr(association, "logo", None)
    return {
        "name": association.name,
        "short_name": brand.short_name,
        "colour": brand.colour,
        "accent": brand.accent,
        "logo": _image_data_uri(logo, "max-600x240"),
        "email": association.contact_email,
        "phone": association.contact_phone,
        "website": association.website,
    }


def invoice_context(invoice: Invoice) -> dict:
    cur = invoice.currency
    lines = [
        {
            "description": line.description,
            "quantity": line.quantity,
            "unit": format_money(line.unit_amount, cur),
            "amount": format_money(line.amount, cur),
        }
        for line in invoice.lines.all()
    ]
    return {
        "invoice": invoice,
        "contract": invoice.contract,
        "center": invoice.contract.center,
        "branding": _branding(invoice.association),
        "lines": lines,
        "seats": sum(line["quantity"] for line in lines),
        "total": format_money(invoice.total, cur),
        "pay_url": public_url(
            reverse("commerce:center_invoices", kwargs={"center": invoice.contract.center.slug})
        ),
    }


def invoice_pdf(invoice: Invoice, *, language: str | None = None) -> bytes:
    with translation.override(offered_language(language) or translation.get_language()):
        html = render_to_string("commerce/invoicing/invoice_pdf.html", invoice_context(invoice))
    return render_pdf(html)


def _payment_summary(order) -> dict:
    """How the order was paid, in words the buyer recognises (no card details are kept)."""
    return {
        "by_hand": bool(getattr(order, "paid_by_hand", False))
        or (not order.stripe_payment_intent and order.total > 0),
        "free": order.total == 0,
        "reference": order.stripe_payment_intent,
    }


def receipt_context(order) -> dict:
    cur = order.currency
    refunds = list(order.refunds.all()) if hasattr(order, "refunds") else []
    return {
        "order": order,
        "branding": _branding(order.association),
        "buyer_name": order.buyer.get_full_name() or order.buyer.email,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": format_money(line.unit_amount, cur),
                "discount": format_money(line.discount, cur) if line.discount else "",
                "amount": format_money(line.amount, cur),
            }
            for line in order.lines.all()
        ],
        "subtotal": format_money(order.subtotal, cur),
        "discount": format_money(order.discount, cur) if order.discount else "",
        "total": format_money(order.total, cur),
        "refunds": [
            {"day": refund.created_at, "amount": format_money(refund.amount, cur)}
            for refund in refunds
        ],
        "refunded": format_money(order.refunded, cur) if order.refunded else "",
        "kept": format_money(order.total - order.refunded, cur),
        "payment": _payment_summary(order),
    }


def receipt_pdf(order, *, fallback_language: str | None = None) -> bytes:
    with translation.override(document_language(user=order.buyer, fallback=fallback_language)):
        html = render_to_string("commerce/invoicing/receipt_pdf.html", receipt_context(order))
    return render_pdf(html)

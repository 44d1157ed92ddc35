"""Reads for invoices: what an association's administrators and a center's managers see."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from lms.organizations.models import Contract, ContractStatus, Organization
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can

from .models import Invoice, InvoiceStatus


def paying_associations(*, user) -> QuerySet[Organization]:
    """The associations whose payments ``user`` manages."""
    return organizations_where(user=user, action=Action.MANAGE_PAYMENTS)


def invoices_for_admin(*, user, status: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.filter(association__in=paying_associations(user=user))
    if status:
        invoices = invoices.filter(status=status)
    return invoices.select_related("association", "contract__center")


def admin_invoice(*, user, invoice_id: int) -> Invoice | None:
    return (
        invoices_for_admin(user=user)
        .select_related("po_recorded_by", "issued_by", "paid_recorded_by", "voided_by", "order")
        .prefetch_related("lines")
        .filter(pk=invoice_id)
        .first()
    )


def contracts_awaiting_quote(*, user) -> QuerySet[Contract]:
    """Contracts of the user's associations, not ended, with no live invoice."""
    live = Invoice.objects.filter(contract=OuterRef("pk")).exclude(status=InvoiceStatus.VOID)
    return (
        Contract.objects.filter(association__in=paying_associations(user=user))
        .exclude(status=ContractStatus.ENDED)
        .exclude(Exists(live))
        .select_related("center", "association")
        .order_by("starts_on", "title")
    )


def quotable_contract(*, user, contract_id: int) -> Contract | None:
    return (
        Contract.objects.filter(pk=contract_id, association__in=paying_associations(user=user))
        .select_related("center", "association")
        .prefetch_related("trainings__training")
        .first()
    )


def invoices_of_center(*, center) -> QuerySet[Invoice]:
    """What the center sees: its invoices, not the void ones."""
    return (
        Invoice.objects.filter(contract__center=center)
        .exclude(status=InvoiceStatus.VOID)
        .select_related("association", "contract")
        .prefetch_related("lines")
    )


def invoice_for_viewer(*, user, reference) -> Invoice | None:
    """The invoice if ``user`` is one of its center's managers or its association's
    administrators; None otherwise (answered as not found)."""
    invoice = (
        Invoice.objects.filter(reference=reference)
        .select_related("association", "contract__center")
        .prefetch_related("lines")
        .first()
    )
    if invoice is None or (invoice.status == InvoiceStatus.VOID and not _is_admin(user, invoice)):
        return None
    if _is_admin(user, invoice) or user_can(
        user=user, action=Action.MANAGE_ROSTER, organization=invoice.contract.center
    ):
        return invoice
    return None


def _is_admin(user, invoice) -> bool:
    return user_can(user=user, action=Action.MANAGE_PAYMENTS, organization=invoice.association)


def outstanding_invoices(*, association, on=None) -> QuerySet[Invoice]:
    """Issued and not paid, oldest due first; ``overdue`` says whether past due on ``on``."""
    on = on or timezone.localdate()
    return (
        Invoice.objects.filter(association=association, status=InvoiceStatus.INVOICED)
        .select_related("contract__center")
        .order_by("due_on", "number")
        .annotate(overdue=ExpressionWrapper(Q(due_on__lt=on), output_field=BooleanField()))
    )

"""Writes on center invoices: one function per transition, each checking where it starts.

quote (drawn up by the association) → ordered (the center's purchase order number) →
invoiced (numbered, dated, due) → paid (a check recorded by hand, or a card payment that
Stripe's signed webhook confirmed through an INVOICE order line) — or void from any open
state. Paying activates the contract when it is still a draft, so its seats become usable.

Every transition locks the invoice's row first, so two clicks, two admins or a webhook racing
an admin change it once; the second is told why nothing happened. Numbers come from the
association's yearly counter row, locked while it is read and written: two invoices issued at
the same moment get consecutive numbers, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.money import currency_of
from lms.organizations.models import Contract, ContractStatus, ContractTraining
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from .models import Invoice, InvoiceLine, InvoiceNumberSequence, InvoiceStatus, PaymentMethod

logger = logging.getLogger(__name__)

DEFAULT_DAYS_TO_PAY = 30


@dataclass(frozen=True)
class QuoteLine:
    """Seats on one of the contract's trainings at a unit price (minor units)."""

    contract_training: ContractTraining
    quantity: int
    unit_amount: int


def _locked(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update()
        .select_related("association", "contract")
        .get(pk=invoice.pk)
    )


def _require(invoice: Invoice, *statuses: str, message: str) -> None:
    if invoice.status not in statuses:
        raise ValidationError(message, code="invalid_state")


def _audit(action, invoice: Invoice, *, by=None, **details) -> None:
    record_event(
        action=action,
        organization=invoice.association,
        target=invoice,
        target_repr=invoice.number or f"{invoice.contract.title} ({invoice.contract.center})",
        actor=by,
        details={
            "invoice": str(invoice.reference),
            "status": invoice.status,
            "total": invoice.total,
            "currency": invoice.currency,
            **details,
        },
    )


def _check_admin(*, by, association) -> None:
    """Services called from views re-check the permission: the view is not the only caller."""
    if by is not None and not user_can(
        user=by, action=Action.MANAGE_PAYMENTS, organization=association
    ):
        raise ValidationError(_("Only the association's administrators may do this."))


# ---------------------------------------------------------------------------------------------
# Quote


@transaction.atomic
def draw_up_quote(*, contract: Contract, lines: list[QuoteLine], by) -> Invoice:
    """A quote for ``contract``: its lines frozen (title, seats, unit price) and its total
    their sum. A contract has one live invoice at a time (the database holds it)."""
    contract = (
        Contract.objects.select_for_update().select_related("association").get(pk=contract.pk)
    )
    _check_admin(by=by, association=contract.association)
    if contract.status == ContractStatus.ENDED:
        raise ValidationError(_("This contract has ended; it cannot be invoiced."))
    lines = [line for line in lines if line.quantity]
    if not lines:
        raise ValidationError(_("Give a number of seats for at least one training."))
    for line in lines:
        if line.contract_training.contract_id != contract.pk:
            raise ValidationError(_("A line names a training that is not in this contract."))
        if line.quantity < 0 or line.unit_amount < 0:
            raise ValidationError(_("Seats and prices cannot be negative."))
    if len({line.contract_training.pk for line in lines}) != len(lines):
        raise ValidationError(_("Each training can be on the quote once."))
    total = sum(line.quantity * line.unit_amount for line in lines)
    if total <= 0:
        raise ValidationError(_("The quote's total must be more than zero."))
    if Invoice.objects.filter(contract=contract).exclude(status=InvoiceStatus.VOID).exists():
        raise ValidationError(
            _("This contract already has an invoice: void it before drawing up another quote.")
        )
    invoice = Invoice.objects.create(
        association=contract.association,
        contract=contract,
        currency=currency_of(contract.association),
        total=total,
        created_by=by,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            training_id=line.contract_training.training_id,
            description=line.contract_training.training.title,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            amount=line.quantity * line.unit_amount,
        )
        for line in lines
    )
    _audit(AuditAction.INVOICE_QUOTED, invoice, by=by)
    return invoice


# ---------------------------------------------------------------------------------------------
# Purchase order


def may_record_purchase_order(*, user, invoice: Invoice) -> bool:
    """The center's managers, or the association's administrators."""
    return user_can(
        user=user, action=Action.MANAGE_ROSTER, organization=invoice.contract.center
    ) or (user_can(user=user, action=Action.MANAGE_PAYMENTS, organization=invoice.association))


@transaction.atomic
def record_purchase_order(*, invoice: Invoice, po_number: str, by) -> Invoice:
    """quote → ordered (or a corrected number while still ordered)."""
    invoice = _locked(invoice)
    po_number = " ".join((po_number or "").split())
    if not po_number:
        raise ValidationError(_("Enter the purchase order number."))
    if len(po_number) > 100:
        raise ValidationError(_("A purchase order number has at most 100 characters."))
    if not may_record_purchase_order(user=by, invoice=invoice):
        raise ValidationError(_("Only the center's managers may record its purchase order."))
    _require(
        invoice,
        InvoiceStatus.QUOTE,
        InvoiceStatus.ORDERED,
        message=_("The purchase order can be recorded only before the invoice is issued."),
    )
    previous = invoice.po_number
    invoice.po_number = po_number
    invoice.status = InvoiceStatus.ORDERED
    invoice.po_recorded_at = timezone.now()
    invoice.po_recorded_by = by
    invoice.save(update_fields=["po_number", "status", "po_recorded_at", "po_recorded_by"])
    _audit(AuditAction.INVOICE_ORDERED, invoice, by=by, po_number=po_number, previous=previous)
    return invoice


# ---------------------------------------------------------------------------------------------
# Issue


def number_prefix(association) -> str:
    """The association's short name in capitals, letters and digits only (GLAIMH)."""
    raw = association.short_name or association.slug or str(association.pk)
    return re.sub(r"[^A-Z0-9]", "", raw.upper()) or "INV"


def _next_number(association, year: int) -> int:
    """The next number of the association's series for ``year``, under the counter's row
    lock (held until the issuing transaction ends)."""
    try:
        with transaction.atomic():
            InvoiceNumberSequence.objects.get_or_create(association=association, year=year)
    except IntegrityError:
        pass  # another issue made the year's row at the same moment: lock theirs
    counter = InvoiceNumberSequence.objects.select_for_update().get(
        association=association, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def issue_invoice(
    *, invoice: Invoice, by, due_on: datetime.date | None = None, payment_instructions: str = ""
) -> Invoice:
    """ordered → invoiced: numbered (e.g. GLAIMH-INV-2026-0001), dated, due."""
    invoice = _locked(invoice)
    _check_admin(by=by, association=invoice.association)
    _require(
        invoice,
        InvoiceStatus.ORDERED,
        message=_("Only a quote with its purchase order number can be issued."),
    )
    now = timezone.now()
    today = timezone.localdate(now)
    due_on = due_on or today + datetime.timedelta(days=DEFAULT_DAYS_TO_PAY)
    if due_on < today:
        raise ValidationError(_("The due date cannot be in the past."))
    sequence = _next_number(invoice.association, today.year)
    invoice.year = today.year
    invoice.sequence = sequence
    invoice.number = f"{number_prefix(invoice.association)}-INV-{today.year}-{sequence:04d}"
    invoice.status = InvoiceStatus.INVOICED
    invoice.issued_at = now
    invoice.issued_by = by
    invoice.due_on = due_on
    invoice.payment_instructions = payment_instructions.strip()
    invoice.save(
        update_fields=[
            "year",
            "sequence",
            "number",
            "status",
            "issued_at",
            "issued_by",
            "due_on",
            "payment_instructions",
        ]
    )
    _audit(AuditAction.INVOICE_ISSUED, invoice, by=by, due_on=due_on.isoformat())
    return invoice


# ---------------------------------------------------------------------------------------------
# Paid


def _activate_contract(contract: Contract) -> str:
    """Draft → active through the centers' own service; '' or why it could not."""
    from centers.services import ContractError, activate_contract

    if contract.status != ContractStatus.DRAFT:
        return ""
    try:
        activate_contract(contract=contract)
    except ContractError as error:
        return str(error)
    return ""


@transaction.atomic
def mark_paid_by_hand(
    *, invoice: Invoice, by, check_number: str, received_on: datetime.date, note: str = ""
) -> Invoice:
    """invoiced → paid by check: who recorded it, when it arrived, its number. The contract
    becomes active; if it cannot (the message says why) nothing is recorded."""
    invoice = _locked(invoice)
    _check_admin(by=by, association=invoice.association)
    if invoice.status == InvoiceStatus.PAID:
        raise ValidationError(_("This invoice is already paid."), code="already_paid")
    _require(invoice, InvoiceStatus.INVOICED, message=_("Only an issued invoice can be paid."))
    check_number = check_number.strip()
    if not check_number:
        raise ValidationError(_("Enter the check number."))
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError(_("Enter the day the check arrived (not a future day)."))
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = timezone.now()
    invoice.paid_recorded_by = by
    invoice.payment_method = PaymentMethod.CHECK
    invoice.check_number = check_number[:60]
    invoice.received_on = received_on
    invoice.payment_note = note.strip()[:300]
    invoice.save(
        update_fields=[
            "status",
            "paid_at",
            "paid_recorded_by",
            "payment_method",
            "check_number",
            "received_on",
            "payment_note",
        ]
    )
    problem = _activate_contract(invoice.contract)
    if problem:
        raise ValidationError(
            _("The contract cannot be activated, so the payment was not recorded: %(why)s")
            % {"why": problem}
        )
    _audit(
        AuditAction.INVOICE_PAID,
        invoice,
        by=by,
        method=PaymentMethod.CHECK,
        check_number=invoice.check_number,
        received_on=received_on.isoformat(),
    )
    return invoice


@transaction.atomic
def mark_paid_by_card(*, invoice_id: int, order_line) -> Invoice | None:
    """invoiced → paid by the card payment of ``order_line`` (an INVOICE line Stripe's webhook
    confirmed). Idempotent. Runs inside the webhook's transaction, so it never raises for a
    state the payer could not see: an invoice already paid or void is logged and audited
    for the association to refund, and the payment itself stays recorded."""
    invoice = Invoice.objects.select_for_update().select_related("association", "contract")
    invoice = invoice.filter(pk=invoice_id).first()
    if invoice is None:
        logger.error(
            "Order line %s pays invoice %s, which does not exist", order_line.pk, invoice_id
        )
        return None
    order = order_line.order
    if invoice.status == InvoiceStatus.PAID and invoice.order_id == order.pk:
        return invoice  # the same payment, delivered again
    if invoice.status != InvoiceStatus.INVOICED or order_line.amount != invoice.total:
        logger.error(
            "Card payment %s for invoice %s (%s, total %s) not applied: status %s, paid %s",
            order.reference,
            invoice.number,
            invoice.pk,
            invoice.total,
            invoice.status,
            order_line.amount,
        )
        _audit(
            AuditAction.INVOICE_PAID,
            invoice,
            order=str(order.reference),
            method=PaymentMethod.CARD,
            applied=False,
            paid_amount=order_line.amount,
        )
        return invoice
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = order.paid_at or timezone.now()
    invoice.payment_method = PaymentMethod.CARD
    invoice.order = order
    invoice.save(update_fields=["status", "paid_at", "payment_method", "order"])
    problem = _activate_contract(invoice.contract)
    if problem:
        # The money is in: the association activates the contract once it is fixed.
        logger.error(
            "Invoice %s paid but contract %s not activated: %s",
            invoice.number,
            invoice.contract_id,
            problem,
        )
    _audit(
        AuditAction.INVOICE_PAID,
        invoice,
        by=order.buyer,
        method=PaymentMethod.CARD,
        order=str(order.reference),
        activation_problem=problem,
    )
    return invoice


# ---------------------------------------------------------------------------------------------
# Card payment by the center


def invoice_line_spec(invoice: Invoice):
    from commerce.models import LineKind
    from commerce.services.orders import LineSpec

    return LineSpec(
        kind=LineKind.INVOICE,
        target_id=invoice.pk,
        description=_("Invoice %(number)s") % {"number": invoice.number},
        unit_amount=invoice.total,
    )


@transaction.atomic
def start_card_payment(*, invoice: Invoice, buyer):
    """An order of one INVOICE line for the invoice's total (the one already waiting for
    this buyer, if any), to pay on ``commerce:pay``."""
    from commerce.models import LineKind, Order, OrderStatus
    from commerce.services.orders import place_order

    invoice = _locked(invoice)
    if not user_can(user=buyer, action=Action.MANAGE_ROSTER, organization=invoice.contract.center):
        raise ValidationError(_("Only the center's managers may pay its invoices."))
    if invoice.status == InvoiceStatus.PAID:
        raise ValidationError(_("This invoice is already paid."), code="already_paid")
    _require(invoice, InvoiceStatus.INVOICED, message=_("Only an issued invoice can be paid."))
    waiting = (
        Order.objects.filter(
            buyer=buyer,
            status=OrderStatus.PENDING,
            lines__kind=LineKind.INVOICE,
            lines__target_id=invoice.pk,
            total=invoice.total,
        )
        .order_by("-created_at")
        .first()
    )
    if waiting is not None:
        return waiting
    return place_order(
        buyer=buyer, association=invoice.association, lines=[invoice_line_spec(invoice)]
    )


# ---------------------------------------------------------------------------------------------
# Void


@transaction.atomic
def void_invoice(*, invoice: Invoice, by, reason: str) -> Invoice:
    """Any open state → void (a new quote may follow). An issued invoice keeps its number:
    the series stays without gaps, and the void one explains the missing payment."""
    invoice = _locked(invoice)
    _check_admin(by=by, association=invoice.association)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the invoice is voided."))
    _require(
        invoice,
        InvoiceStatus.QUOTE,
        InvoiceStatus.ORDERED,
        InvoiceStatus.INVOICED,
        message=_("A paid or voided invoice cannot be voided."),
    )
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = timezone.now()
    invoice.voided_by = by
    invoice.void_reason = reason[:300]
    invoice.save(update_fields=["status", "voided_at", "voided_by", "void_reason"])
    _audit(AuditAction.INVOICE_VOIDED, invoice, by=by, reason=invoice.void_reason)
    return invoice


# ---------------------------------------------------------------------------------------------
# Fulfilment of INVOICE order lines (registered in apps.py)


def fulfil_invoice_line(line) -> None:
    mark_paid_by_card(invoice_id=line.target_id, order_line=line)

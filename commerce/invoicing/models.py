"""Invoices to centers for their contracts: quote → purchase order → invoice → paid (or void).

An invoice bills one contract (its seats on its trainings); its lines are frozen when the
quote is drawn up, in the currency's minor unit, and ``total`` is their sum (``services`` is
the only writer). Issued invoices are numbered per association and year without gaps
(``InvoiceNumberSequence``, under a row lock); a void invoice keeps its number, so the series
has no holes. Invoices are the association's books: never deleted with a contract, a person
or an association (``PROTECT``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.money import DEFAULT_CURRENCY


class InvoiceStatus(models.TextChoices):
    # Drawn up by the association; waits for the center's purchase order number.
    QUOTE = "quote", pgettext_lazy("invoice status", "Quote")
    ORDERED = "ordered", pgettext_lazy("invoice status", "Purchase order received")
    # Numbered and sent; waits for the payment.
    INVOICED = "invoiced", pgettext_lazy("invoice status", "Invoiced")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    VOID = "void", pgettext_lazy("invoice status", "Void")


OPEN_STATUSES = (InvoiceStatus.QUOTE, InvoiceStatus.ORDERED, InvoiceStatus.INVOICED)


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    CARD = "card", _("Card")


class Invoice(models.Model):
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    contract = models.ForeignKey(
        "organizations.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.QUOTE
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    total = models.PositiveIntegerField(_("total"), default=0)
    created_at = models.DateTimeField(_("drawn up"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    po_number = models.CharField(_("purchase order number"), max_length=100, blank=True)
    po_recorded_at = models.DateTimeField(null=True, blank=True)
    po_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # e.g. GLAIMH-INV-2026-0001: ``year`` and ``sequence`` are what the number is made of.
    number = models.CharField(_("invoice number"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    payment_instructions = models.TextField(_("how to pay"), blank=True)

    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # Who recorded a check (None for a card payment, which Stripe's webhook confirmed).
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    check_number = models.CharField(_("check number"), max_length=60, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    payment_note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.ForeignKey(
        "commerce.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    void_reason = models.CharField(_("why it was voided"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InvoiceStatus.values),
                name="invoicing_invoice_known_status",
            ),
            # One live invoice per contract: a second quote waits until the first is void.
            models.UniqueConstraint(
                fields=["contract"],
                condition=~models.Q(status="void"),
                name="invoicing_one_live_invoice_per_contract",
            ),
            models.UniqueConstraint(
                fields=["association", "number"],
                condition=~models.Q(number=""),
                name="invoicing_number_unique_per_association",
            ),
            models.UniqueConstraint(
                fields=["association", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="invoicing_sequence_unique_per_association_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["ordered", "invoiced", "paid"])
                | ~models.Q(po_number=""),
                name="invoicing_ordered_has_po_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["invoiced", "paid"])
                | (~models.Q(number="") & models.Q(due_on__isnull=False)),
                name="invoicing_issued_has_number_and_due_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | (models.Q(paid_at__isnull=False) & ~models.Q(payment_method="")),
                name="invoicing_paid_has_time_and_method",
            ),
            models.CheckConstraint(
                condition=~models.Q(payment_method="card") | models.Q(order__isnull=False),
                name="invoicing_card_payment_has_order",
            ),
        ]
        indexes = [models.Index(fields=["association", "status", "due_on"])]

    def __str__(self):
        return self.number or str(_("Quote for %(contract)s") % {"contract": self.contract.title})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, on) -> bool:
        return (
            self.status == InvoiceStatus.INVOICED and self.due_on is not None and self.due_on < on
        )


class InvoiceLine(models.Model):
    """Seats on one of the contract's trainings, at a unit price frozen in the quote."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    # The training page, as an id: the page may be renamed or deleted later, the line stays.
    training_id = models.PositiveBigIntegerField(_("training"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("seats"))
    unit_amount = models.PositiveIntegerField(_("unit price"))
    amount = models.PositiveIntegerField(_("amount"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount=models.F("unit_amount") * models.F("quantity")),
                name="invoicing_line_amount_is_seats_times_price",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="invoicing_line_has_seats"
            ),
            models.UniqueConstraint(
                fields=["invoice", "training_id"], name="invoicing_line_training_once"
            ),
        ]

    def __str__(self):
        return self.description


class InvoiceNumberSequence(models.Model):
    """The last invoice number an association gave in a year: the row issuing locks."""

    association = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="invoicing_one_sequence_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.association_id}/{self.year}: {self.last}"

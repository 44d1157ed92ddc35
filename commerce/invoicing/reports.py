"""Revenue reports for an association's administrators: what came in over a period by
training (and bundle), membership plan, endorsement fee and center invoice, what went back
(refunds), and what is still owed (issued invoices, overdue ones flagged).

Revenue is counted when paid (``Order.paid_at``, ``Invoice.paid_at``) in the association's
local days; refunds when made. An invoice paid by card is counted once, as an invoice, not
also as its order's INVOICE line. The page and the CSV read the same ``RevenueReport``; a
fixed handful of grouped queries makes it, however many orders there are.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.money import format_money, from_minor
from lms.records.spreadsheets import SpreadsheetWriter

from .models import Invoice, InvoiceStatus
from .selectors import outstanding_invoices

# Order statuses whose money came in (a refund is counted separately, when it was made).
PAID_STATUSES = ("paid", "partially_refunded", "refunded")

SECTION_TITLES = {
    "training": gettext_lazy("Trainings"),
    "bundle": gettext_lazy("Bundles"),
    "membership": gettext_lazy("Membership plans"),
    "fee": gettext_lazy("Endorsement fees"),
    "invoice": gettext_lazy("Center invoices"),
}


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    amount: int
    currency: str


@dataclass
class Section:
    key: str
    rows: list[Row] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(SECTION_TITLES[self.key])

    @property
    def totals(self) -> dict[str, int]:
        return _by_currency(self.rows)


@dataclass(frozen=True)
class RefundRow:
    day: datetime.date
    order: str
    reason: str
    amount: int
    currency: str


@dataclass
class RevenueReport:
    association: object
    start: datetime.date
    end: datetime.date
    on: datetime.date
    sections: list[Section]
    refunds: list[RefundRow]
    outstanding: list[Invoice]

    @property
    def gross(self) -> dict[str, int]:
        return _by_currency([row for s in self.sections for row in s.rows])

    @property
    def refunded(self) -> dict[str, int]:
        return _by_currency(self.refunds)

    @property
    def net(self) -> dict[str, int]:
        net = dict(self.gross)
        for currency, amount in self.refunded.items():
            net[currency] = net.get(currency, 0) - amount
        return net

    @property
    def owed(self) -> dict[str, int]:
        return _by_currency([Row(i.number, 1, i.total, i.currency) for i in self.outstanding])

    @property
    def overdue(self) -> dict[str, int]:
        return _by_currency(
            [Row(i.number, 1, i.total, i.currency) for i in self.outstanding if i.overdue]
        )


def _by_currency(rows) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.currency] += row.amount
    return dict(totals)


def money(totals: dict[str, int], default_currency: str) -> str:
    """Totals in each currency, written the reader's way ("$0.00" when there are none)."""
    if not totals:
        return format_money(0, default_currency)
    return " + ".join(format_money(amount, cur) for cur, amount in sorted(totals.items()))


def _period(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """[start 00:00, the day after end 00:00) in the site's time zone."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


FEE_KINDS = (
    ("registration_amount", gettext_lazy("Registration fees")),
    ("submission_amount", gettext_lazy("Processing fees")),
    ("renewal_amount", gettext_lazy("Renewal fees")),
)


def _fees_by_kind(fee_lines) -> list[tuple[str, int, int, str]]:
    """Fee lines split into registration, processing and renewal fees as the application's
    fee froze them (a line may carry several). A line that paid less than the fee (a
    coupon) is split in proportion, in whole cents that add up to what was paid."""
    from lms.endorsement.models import ApplicationFee

    paid = list(fee_lines.values_list("target_id", "amount", "order__currency"))
    fees = {
        row[0]: row[1:]
        for row in ApplicationFee.objects.filter(
            application_id__in={target for target, _a, _c in paid}
        ).values_list("application_id", "amount", *(name for name, _label in FEE_KINDS))
    }
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for target, amount, currency in paid:
        whole, *parts = fees.get(target, (0, 0, 0, 0))
        given = 0
        kinds = [i for i, part in enumerate(parts) if part]
        for i in kinds:
            share = amount - given if i == kinds[-1] else parts[i] * amount // whole
            given += share
            totals[(i, currency)][0] += 1
            totals[(i, currency)][1] += share
        if not kinds:  # no fee on record for the application: still money that came in
            totals[(len(FEE_KINDS), currency)][0] += 1
            totals[(len(FEE_KINDS), currency)][1] += amount
    labels = [label for _name, label in FEE_KINDS] + [gettext_lazy("Other endorsement fees")]
    return [
        (str(labels[i]), count, amount, currency)
        for (i, currency), (count, amount) in sorted(totals.items())
    ]


def revenue_report(
    *, association, start: datetime.date, end: datetime.date, on: datetime.date | None = None
) -> RevenueReport:
    from commerce.models import LineKind, OrderLine, Refund

    first, after = _period(start, end)
    lines = OrderLine.objects.filter(
        order__association=association,
        order__status__in=PAID_STATUSES,
        order__paid_at__gte=first,
        order__paid_at__lt=after,
    )
    sections = {key: Section(key) for key in SECTION_TITLES}
    # Trainings, bundles and plans by what they are (the id); the label is the description
    # the line froze (the same thing may have been renamed: one of its names is shown).
    by_item = (
        lines.exclude(kind__in=[LineKind.FEE, LineKind.INVOICE])
        .values("kind", "target_id", "order__currency")
        .annotate(count=Sum("quantity"), amount=Sum("amount"), label=Max("description"))
        .order_by("kind", "label")
    )
    for row in by_item:
        sections[row["kind"]].rows.append(
            Row(row["label"], row["count"], row["amount"], row["order__currency"])
        )
    for label, count, amount, currency in _fees_by_kind(lines.filter(kind=LineKind.FEE)):
        sections["fee"].rows.append(Row(label, count, amount, currency))
    paid_invoices = (
        Invoice.objects.filter(
            association=association,
            status=InvoiceStatus.PAID,
            paid_at__gte=first,
            paid_at__lt=after,
        )
        .select_related("contract__center")
        .order_by("paid_at", "number")
    )
    for invoice in paid_invoices:
        label = f"{invoice.number} · {invoice.contract.center.name}"
        sections["invoice"].rows.append(Row(label, 1, invoice.total, invoice.currency))
    refunds = [
        RefundRow(
            timezone.localdate(refund.created_at),
            refund.order.number or str(refund.order.reference),
            refund.reason,
            refund.amount,
            refund.order.currency,
        )
        for refund in Refund.objects.filter(
            order__association=association, created_at__gte=first, created_at__lt=after
        )
        .select_related("order")
        .order_by("created_at", "pk")
    ]
    on = on or timezone.localdate()
    return RevenueReport(
        association=association,
        start=start,
        end=end,
        on=on,
        sections=list(sections.values()),
        refunds=refunds,
        outstanding=list(outstanding_invoices(association=association, on=on)),
    )


def revenue_csv(report: RevenueReport) -> str:
    """The report's numbers as rows: section, item, quantity, amount, currency. Amounts are
    decimals with a point (machine-readable); labels in the reader's language."""
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow([_("Section"), _("Item"), _("Quantity"), _("Amount"), _("Currency"), _("Date")])

    def amount(value: int, currency: str) -> str:
        return str(from_minor(value, currency))

    for section in report.sections:
        for row in section.rows:
            writer.writerow(
                [
                    section.title,
                    row.label,
                    row.count,
                    amount(row.amount, row.currency),
                    row.currency,
                    "",
                ]
            )
    for currency, total in sorted(report.gross.items()):
        writer.writerow([_("Revenue"), _("Total"), "", amount(total, currency), currency, ""])
    for refund in report.refunds:
        writer.writerow(
            [
                _("Refunds"),
                f"{refund.order} {refund.reason}".strip(),
                1,
                amount(refund.amount, refund.currency),
                refund.currency,
                refund.day.isoformat(),
            ]
        )
    for currency, total in sorted(report.refunded.items()):
        writer.writerow([_("Refunds"), _("Total"), "", amount(total, currency), currency, ""])
    for currency, total in sorted(report.net.items()):
        writer.writerow([_("Net revenue"), _("Total"), "", amount(total, currency), currency, ""])
    for invoice in report.outstanding:
        writer.writerow(
            [
                _("Overdue invoices") if invoice.overdue else _("Outstanding invoices"),
                f"{invoice.number} · {invoice.contract.center.name}",
                1,
                amount(invoice.total, invoice.currency),
                invoice.currency,
                invoice.due_on.isoformat(),
            ]
        )
    for currency, total in sorted(report.owed.items()):
        writer.writerow(
            [_("Outstanding invoices"), _("Total"), "", amount(total, currency), currency, ""]
        )
    return out.getvalue()

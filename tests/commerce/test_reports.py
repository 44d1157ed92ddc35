"""The revenue report: money in over a period by training, membership plan, fee kind and
center invoice; refunds; what is owed (overdue flagged); the CSV has the same numbers; the
page's queries do not grow with the number of orders."""

import csv
import datetime
import io

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from commerce.invoicing import services
from commerce.invoicing.models import Invoice
from commerce.invoicing.reports import revenue_report
from commerce.models import LineKind, Order, OrderLine, Refund
from lms.endorsement.models import ApplicationFee
from tests.centers.builders import center_with_manager, contract
from tests.commerce.invoicing_builders import invoicing_world, issued
from tests.factories import UserFactory
from tests.lms.endorsement.applying import ready_application, small_rules

TODAY = timezone.localdate()
NOW = timezone.now()


def paid_order(association, lines, *, paid_at=NOW, buyer=None):
    """A paid order as the checkout leaves it: lines frozen, totals their sum, numbered."""
    total = sum(amount * qty for _kind, _target, _label, amount, qty in lines)
    order = Order.objects.create(
        association=association,
        buyer=buyer or UserFactory(),
        status="paid",
        subtotal=total,
        total=total,
        paid_at=paid_at,
        number=f"T-{Order.objects.count() + 1}",
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            kind=kind,
            target_id=target,
            description=label,
            quantity=qty,
            unit_amount=amount,
            amount=amount * qty,
        )
        for kind, target, label, amount, qty in lines
    )
    return order


@pytest.fixture
def books(great_lakes):
    """A quarter of an association's money: trainings, a membership, a fee, an invoice paid
    by check, a refund, an invoice still owed and one overdue; and money outside it."""
    admin, _center, manager, deal, _ = invoicing_world(great_lakes)
    small_rules(great_lakes)
    application, _ = ready_application(great_lakes)
    ApplicationFee.objects.create(
        application=application, registration_amount=8500, submission_amount=2500, amount=11000
    )
    T, M, F_ = LineKind.TRAINING, LineKind.MEMBERSHIP, LineKind.FEE
    paid_order(great_lakes, [(T, 11, "Serve and Return", 6000, 1), (T, 12, "Reflective", 4500, 1)])
    refunded = paid_order(great_lakes, [(T, 11, "Serve and Return", 6000, 1)])
    paid_order(great_lakes, [(M, 3, "Annual membership", 7000, 1)])
    paid_order(great_lakes, [(F_, application.pk, "GREAT endorsement fee: IFS", 11000, 1)])
    # Outside the period, and another association's: not counted.
    paid_order(
        great_lakes,
        [(T, 11, "Serve and Return", 6000, 1)],
        paid_at=NOW - datetime.timedelta(days=400),
    )
    Refund.objects.create(order=refunded, amount=2000, by=admin, reason="Could not attend")
    Order.objects.filter(pk=refunded.pk).update(refunded=2000, status="partially_refunded")

    paid = issued(deal, admin, manager)  # 8 × $45 + 4 × $120 = $840
    services.mark_paid_by_hand(invoice=paid, by=admin, check_number="1", received_on=TODAY)
    trainings = [line.training for line in deal.trainings.all()]
    owed = []
    for slug in ("maple", "birch"):
        other, other_manager = center_with_manager(slug=slug, name=f"{slug.title()} Center")
        owed.append(
            issued(contract(great_lakes, other, trainings, status="draft"), admin, other_manager)
        )
    Invoice.objects.filter(pk=owed[0].pk).update(due_on=TODAY - datetime.timedelta(days=3))
    return admin


def test_the_report_counts_each_kind_of_money_once(books, great_lakes):
    report = revenue_report(
        association=great_lakes, start=TODAY - datetime.timedelta(days=90), end=TODAY
    )
    rows = {s.key: {(r.label, r.count, r.amount) for r in s.rows} for s in report.sections}
    assert rows["training"] == {("Serve and Return", 2, 12000), ("Reflective", 1, 4500)}
    assert rows["membership"] == {("Annual membership", 1, 7000)}
    assert rows["fee"] == {("Registration fees", 1, 8500), ("Processing fees", 1, 2500)}
    [(label, count, amount)] = rows["invoice"]
    assert label.endswith("Sunrise Family Services") and (count, amount) == (1, 84000)
    assert report.gross == {"USD": 12000 + 4500 + 7000 + 11000 + 84000}
    assert report.refunded == {"USD": 2000}
    assert report.net == {"USD": 118500 - 2000}
    assert report.owed == {"USD": 2 * 84000}
    assert report.overdue == {"USD": 84000}


def test_the_page_and_the_csv_show_the_same_numbers(client, books, great_lakes):
    client.force_login(books)
    query = {"start": (TODAY - datetime.timedelta(days=90)).isoformat(), "end": TODAY.isoformat()}
    page = client.get(reverse("payments_reports:revenue"), query)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("$1,185.00", "$20.00", "$1,165.00", "$1,680.00", "$840.00", "overdue"):
        assert text in html, text
    export = client.get(reverse("payments_reports:revenue_csv"), query)
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["Section", "Item", "Quantity", "Amount", "Currency", "Date"]
    totals = {(r[0], r[1]): r[3] for r in rows if r[1] == "Total"}
    assert totals == {
        ("Revenue", "Total"): "1185.00",
        ("Refunds", "Total"): "20.00",
        ("Net revenue", "Total"): "1165.00",
        ("Outstanding invoices", "Total"): "1680.00",
    }
    assert ["Trainings", "Serve and Return", "2", "120.00", "USD", ""] in rows
    assert ["Endorsement fees", "Registration fees", "1", "85.00", "USD", ""] in rows
    assert sum(1 for r in rows if r[0] == "Overdue invoices") == 1


def test_bad_periods_are_refused_and_others_see_nothing(client, books, great_lakes):
    client.force_login(books)
    response = client.get(
        reverse("payments_reports:revenue"), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert "must end on or after" in response.content.decode()
    assert client.get(reverse("payments_reports:revenue_csv"), {"start": "junk"}).status_code == 404
    from lms.organizations.models import Role
    from tests.courses.factories import association, member

    prairie_admin = member(association("prairie", name="Prairie Association"), Role.ADMIN)
    client.force_login(prairie_admin)
    response = client.get(reverse("payments_reports:revenue"), {"association": great_lakes.pk})
    assert (
        "Sunrise" not in response.content.decode()
        and "Serve and Return" not in response.content.decode()
    )


def test_the_report_costs_the_same_queries_for_more_orders(
    client, books, great_lakes, django_assert_max_num_queries
):
    client.force_login(books)
    client.get(reverse("payments_reports:revenue"))  # caches the site and the admin's roles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("payments_reports:revenue"))
    for i in range(30):
        paid_order(great_lakes, [(LineKind.TRAINING, 100 + i, f"Training {i}", 1000, 2)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("payments_reports:revenue"))
    assert "Training 29" in response.content.decode()
    assert Order.objects.filter(total=F("subtotal")).count() >= 30

"""Center invoices: quote → purchase order → invoice (numbered, PDF) → paid (check or card)
→ the contract is active and its seats usable. States are checked; races are safe."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from centers.services import assign_seats
from commerce.invoicing import services
from commerce.invoicing.models import Invoice, InvoiceLine, InvoiceStatus, PaymentMethod
from courses.models import Enrollment
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import ContractStatus, Role
from tests.centers.builders import center_with_manager, staff
from tests.commerce.invoicing_builders import invoicing_world, issued, quote
from tests.courses.factories import association, member
from tests.lms.records.test_documents import pdf_text

YEAR = timezone.localdate().year


@pytest.fixture
def world(great_lakes):
    return invoicing_world(great_lakes)


def _form(response):
    return response.context["form"] if response.context else None


def test_the_invoice_flow_end_to_end_through_the_screens(client, world, great_lakes):
    """The admin draws up a quote, the center's manager records its purchase order, the admin
    issues it (the PDF names seats, trainings, PO and number) and records the check: the
    contract is active and its seats take staff."""
    admin, center, manager, deal, (webinar, course) = world
    lines = {line.training_id: line for line in deal.trainings.all()}

    client.force_login(admin)
    page = client.get(reverse("invoices_admin:index"))
    assert page.status_code == 200 and "Home visitors 2026" in page.content.decode()
    data = {
        f"seats_{lines[webinar.pk].pk}": "8",
        f"price_{lines[webinar.pk].pk}": "45",
        f"seats_{lines[course.pk].pk}": "4",
        f"price_{lines[course.pk].pk}": "120.50",
    }
    response = client.post(reverse("invoices_admin:quote", kwargs={"contract_id": deal.pk}), data)
    assert response.status_code == 302, _form(response).errors
    invoice = Invoice.objects.get(contract=deal)
    assert invoice.status == InvoiceStatus.QUOTE
    assert (
        invoice.total == 8 * 4500 + 4 * 12050 == sum(invoice.lines.values_list("amount", flat=True))
    )

    client.force_login(manager)
    page = client.get(reverse("commerce:center_invoices", kwargs={"center": center.slug}))
    assert page.status_code == 200 and "Record the purchase order" in page.content.decode()
    client.post(
        reverse("commerce:invoice_po", kwargs={"invoice": invoice.reference}),
        {"po_number": "  PO-2026-0042 "},
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.po_number) == (InvoiceStatus.ORDERED, "PO-2026-0042")

    client.force_login(admin)
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("invoices_admin:issue", kwargs={"invoice_id": invoice.pk}),
        {"due_on": due.isoformat(), "payment_instructions": "Checks to 12 Elm St, Lansing."},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.INVOICED
    assert invoice.number == f"GREATLA-INV-{YEAR}-0001"

    client.force_login(manager)
    pdf = client.get(reverse("commerce:invoice_pdf", kwargs={"invoice": invoice.reference}))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for words in (
        invoice.number,
        "PO-2026-0042",
        "Serve and Return Basics",
        "Reflective Practice Foundations",
        "Sunrise Family Services",
        "Great Lakes Association",
        "$842.00",  # 8 × $45.00 + 4 × $120.50
        "12 Elm St",
    ):
        assert words in text, words
    assert "Seats 12" in text

    client.force_login(admin)
    response = client.post(
        reverse("invoices_admin:mark_paid", kwargs={"invoice_id": invoice.pk}),
        {"check_number": "10442", "received_on": timezone.localdate().isoformat(), "note": ""},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    deal.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.payment_method == PaymentMethod.CHECK
    assert invoice.check_number == "10442" and invoice.paid_recorded_by == admin
    assert deal.status == ContractStatus.ACTIVE
    person = staff(center, "ana@sunrise.test")
    assign_seats(contract_training=lines[course.pk], staff=[person], by=manager)
    assert Enrollment.objects.filter(learner=person.user, training_id=course.pk).exists()
    actions = list(
        AuditEvent.objects.filter(
            target_type="commerce_invoicing.invoice", target_id=str(invoice.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            AuditAction.INVOICE_QUOTED,
            AuditAction.INVOICE_ORDERED,
            AuditAction.INVOICE_ISSUED,
            AuditAction.INVOICE_PAID,
        ]
    )


def test_numbers_run_per_association_and_year_without_gaps(great_lakes):
    admin, _center, manager, deal, _ = invoicing_world(great_lakes)
    first = issued(deal, admin, manager)
    other_center, other_manager = center_with_manager(slug="maple", name="Maple Center")
    from tests.centers.builders import contract

    second_deal = contract(
        great_lakes, other_center, [t.training for t in deal.trainings.all()], status="draft"
    )
    services.void_invoice(invoice=first, by=admin, reason="Wrong seat count")
    redo = issued(deal, admin, manager)
    second = issued(second_deal, admin, other_manager)
    prefix = f"GREATLA-INV-{YEAR}-"
    # The void invoice keeps its number: the series has no holes.
    assert [first.number, redo.number, second.number] == [
        f"{prefix}0001",
        f"{prefix}0002",
        f"{prefix}0003",
    ]
    prairie = association("prairie", name="Prairie Association")
    _, _, _, prairie_deal, _ = invoicing_world(prairie, slug="oak")
    prairie_admin = prairie.memberships.get(role=Role.ADMIN).user
    prairie_manager = prairie_deal.center.memberships.get(role=Role.MANAGER).user
    assert issued(prairie_deal, prairie_admin, prairie_manager).number == f"PRAIRIE-INV-{YEAR}-0001"


def test_each_transition_starts_only_where_it_should(world):
    admin, _center, manager, deal, _ = world
    invoice = quote(deal, admin)
    with pytest.raises(ValidationError, match="purchase order"):
        services.issue_invoice(invoice=invoice, by=admin)
    with pytest.raises(ValidationError, match="issued invoice"):
        services.mark_paid_by_hand(
            invoice=invoice, by=admin, check_number="1", received_on=timezone.localdate()
        )
    with pytest.raises(ValidationError, match="already has an invoice"):
        quote(deal, admin)
    services.record_purchase_order(invoice=invoice, po_number="PO-1", by=manager)
    services.issue_invoice(invoice=invoice, by=admin)
    with pytest.raises(ValidationError, match="before the invoice is issued"):
        services.record_purchase_order(invoice=invoice, po_number="PO-2", by=manager)
    services.mark_paid_by_hand(
        invoice=invoice, by=admin, check_number="77", received_on=timezone.localdate()
    )
    # A second "mark paid" (a double click, another admin) is refused and changes nothing.
    with pytest.raises(ValidationError, match="already paid"):
        services.mark_paid_by_hand(
            invoice=invoice, by=admin, check_number="78", received_on=timezone.localdate()
        )
    with pytest.raises(ValidationError, match="cannot be voided"):
        services.void_invoice(invoice=invoice, by=admin, reason="late")
    invoice.refresh_from_db()
    assert invoice.check_number == "77"
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_PAID).count() == 1


def test_bad_input_is_refused_and_changes_nothing(client, world):
    admin, _center, manager, deal, (webinar, _course) = world
    line = deal.trainings.get(training=webinar)
    client.force_login(admin)
    url = reverse("invoices_admin:quote", kwargs={"contract_id": deal.pk})
    for data, message in (
        ({f"seats_{line.pk}": "3", f"price_{line.pk}": "-5"}, "greater than or equal to 0"),
        ({f"seats_{line.pk}": "3", f"price_{line.pk}": ""}, "Give the price per seat"),
        ({f"seats_{line.pk}": "0", f"price_{line.pk}": "45"}, "at least one training"),
        ({f"seats_{line.pk}": "3", f"price_{line.pk}": "abc"}, "Enter a number"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()

    invoice = quote(deal, admin)
    client.force_login(manager)
    client.post(
        reverse("commerce:invoice_po", kwargs={"invoice": invoice.reference}), {"po_number": "  "}
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.QUOTE and invoice.po_number == ""
    services.record_purchase_order(invoice=invoice, po_number="PO-9", by=manager)
    client.force_login(admin)
    response = client.post(
        reverse("invoices_admin:issue", kwargs={"invoice_id": invoice.pk}),
        {"due_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ORDERED and invoice.number == ""


def test_others_cannot_see_or_act_on_an_invoice(client, world, great_lakes):
    admin, center, manager, deal, _ = world
    invoice = issued(deal, admin, manager)
    _, stranger_manager = center_with_manager(slug="elsewhere", name="Elsewhere Center")
    prairie = association("prairie", name="Prairie Association")
    prairie_admin = member(prairie, Role.ADMIN)
    editor = member(great_lakes, Role.EDITOR)
    for person in (stranger_manager, prairie_admin, editor):
        client.force_login(person)
        for name in ("invoice_pdf",):
            assert (
                client.get(
                    reverse(f"commerce:{name}", kwargs={"invoice": invoice.reference})
                ).status_code
                == 404
            )
        for name in ("invoice_po", "invoice_pay"):
            response = client.post(
                reverse(f"commerce:{name}", kwargs={"invoice": invoice.reference}),
                {"po_number": "X"},
            )
            assert response.status_code == 404
        assert (
            client.get(
                reverse("commerce:center_invoices", kwargs={"center": center.slug})
            ).status_code
            == 404
        )
    client.force_login(prairie_admin)
    assert (
        client.get(reverse("invoices_admin:invoice", kwargs={"invoice_id": invoice.pk})).status_code
        == 404
    )
    response = client.post(
        reverse("invoices_admin:mark_paid", kwargs={"invoice_id": invoice.pk}),
        {"check_number": "1", "received_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    # The center's manager may not record the check, even by calling the service.
    with pytest.raises(ValidationError):
        services.mark_paid_by_hand(
            invoice=invoice, by=manager, check_number="1", received_on=timezone.localdate()
        )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.INVOICED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_invoices_issued_at_once_get_distinct_consecutive_numbers(framework):
    """Two admins issue two invoices at the same moment, each on its own connection: the
    year's counter row is locked, so the numbers are 0001 and 0002, never the same."""
    from tests.conftest import ensure_default_site

    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    admin, _center, manager, deal, trainings = invoicing_world(lakes)
    other_center, other_manager = center_with_manager(slug="maple", name="Maple Center")
    from tests.centers.builders import contract

    other_deal = contract(lakes, other_center, trainings, status="draft")
    invoices = []
    for made, who in ((deal, manager), (other_deal, other_manager)):
        invoice = quote(made, admin)
        services.record_purchase_order(invoice=invoice, po_number="PO-1", by=who)
        invoices.append(invoice)

    barrier = threading.Barrier(len(invoices))
    numbers, errors = [], []

    def issue(invoice):
        try:
            barrier.wait(timeout=30)
            numbers.append(services.issue_invoice(invoice=invoice, by=admin).number)
        except Exception as error:  # anything else is a failure of the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(numbers) == [f"GREATLA-INV-{YEAR}-0001", f"GREATLA-INV-{YEAR}-0002"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_marking_the_same_invoice_paid_at_once_record_it_once(framework):
    from tests.conftest import ensure_default_site

    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    admin, _center, manager, deal, _ = invoicing_world(lakes)
    invoice = issued(deal, admin, manager)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def pay(number):
        try:
            barrier.wait(timeout=30)
            services.mark_paid_by_hand(
                invoice=invoice, by=admin, check_number=number, received_on=timezone.localdate()
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(n,)) for n in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(outcomes) == ["paid", "refused"]
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_PAID).count() == 1


def test_a_card_payment_confirmed_by_stripe_pays_the_invoice_once(
    client, world, great_lakes, merchant, card_token, stripe_events, deliver
):
    """The manager pays by card (an order of one INVOICE line, paid against localstripe);
    Stripe's signed webhook, delivered twice, marks the invoice paid once and activates the
    contract. The browser's return alone changes nothing."""
    from commerce.models import LineKind, Order
    from commerce.services.payments import pay_with_card

    admin, center, manager, deal, _ = world
    center = center.slug
    merchant(great_lakes)
    invoice = issued(deal, admin, manager)
    client.force_login(manager)
    response = client.post(reverse("commerce:invoice_pay", kwargs={"invoice": invoice.reference}))
    order = Order.objects.get(lines__kind=LineKind.INVOICE, lines__target_id=invoice.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("commerce:pay", kwargs={"reference": order.reference})
    # Asking again reuses the order waiting for this manager.
    client.post(reverse("commerce:invoice_pay", kwargs={"invoice": invoice.reference}))
    assert Order.objects.filter(lines__target_id=invoice.pk, lines__kind="invoice").count() == 1
    assert order.total == invoice.total

    outcome = pay_with_card(order=order, card_token=card_token(great_lakes))
    assert outcome.status in ("processing", "requires_action"), outcome
    order.refresh_from_db()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.INVOICED  # nothing until the webhook
    [event] = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    assert deliver(client, great_lakes, event).status_code == 200
    assert deliver(client, great_lakes, event).status_code == 200
    invoice.refresh_from_db()
    deal.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.payment_method == PaymentMethod.CARD
    assert invoice.order_id == order.pk
    assert deal.status == ContractStatus.ACTIVE
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_PAID).count() == 1
    # Paid: the center's page offers no more payment.
    response = client.post(reverse("commerce:invoice_pay", kwargs={"invoice": invoice.reference}))
    assert response["Location"] == reverse("commerce:center_invoices", kwargs={"center": center})

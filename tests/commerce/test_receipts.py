"""Receipts: a paid order's PDF names every line, its discount, total and refunds, in the
association's brand, for its buyer and the association's administrators only."""

import pytest
from django.urls import reverse

from commerce.models import LineKind, Order, Refund
from commerce.services.orders import LineSpec, place_order
from commerce.services.payments import mark_paid_by_hand
from lms.organizations.models import Role
from tests.courses.factories import association, member, training
from tests.factories import UserFactory
from tests.lms.records.test_documents import pdf_text


@pytest.fixture
def paid(great_lakes):
    admin = member(great_lakes, Role.ADMIN)
    buyer = UserFactory(first_name="Rosa", last_name="Delgado")
    webinar = training(great_lakes, "Serve and Return Basics", kind="webinar")
    course = training(great_lakes, "Reflective Practice Foundations")
    order = place_order(
        buyer=buyer,
        association=great_lakes,
        lines=[
            LineSpec(LineKind.TRAINING, webinar.pk, "Serve and Return Basics", 6000),
            LineSpec(LineKind.TRAINING, course.pk, "Reflective Practice Foundations", 4500),
        ],
    )
    order = mark_paid_by_hand(order=order, by=admin, note="check 5512")
    return admin, buyer, Order.objects.get(pk=order.pk)


def test_the_receipt_names_every_line_and_the_total(client, paid):
    _admin, buyer, order = paid
    client.force_login(buyer)
    response = client.get(reverse("commerce:receipt", kwargs={"reference": order.reference}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in (
        f"Receipt {order.number}",
        "Great Lakes Association",
        "Rosa Delgado",
        "Serve and Return Basics",
        "$60.00",
        "Reflective Practice Foundations",
        "$45.00",
        "Total paid $105.00",
        "Recorded by the association",
    ):
        assert words in text, words


def test_refunds_show_on_the_receipt(client, paid):
    admin, _buyer, order = paid
    Refund.objects.create(order=order, amount=2500, by=admin, reason="Partial")
    Order.objects.filter(pk=order.pk).update(refunded=2500, status="partially_refunded")
    client.force_login(admin)
    response = client.get(reverse("commerce:receipt", kwargs={"reference": order.reference}))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "−$25.00" in text and "Paid, less refunds $80.00" in text


def test_the_receipt_is_refused_to_everyone_else(client, paid, great_lakes):
    _admin, _buyer, order = paid
    url = reverse("commerce:receipt", kwargs={"reference": order.reference})
    prairie = association("prairie", name="Prairie Association")
    for person in (
        UserFactory(),
        member(great_lakes, Role.EDITOR),
        member(prairie, Role.ADMIN),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_an_unpaid_order_has_no_receipt(client, great_lakes):
    buyer = UserFactory()
    webinar = training(great_lakes, "Serve and Return Basics", kind="webinar")
    order = place_order(
        buyer=buyer,
        association=great_lakes,
        lines=[LineSpec(LineKind.TRAINING, webinar.pk, "Serve and Return Basics", 6000)],
    )
    client.force_login(buyer)
    response = client.get(reverse("commerce:receipt", kwargs={"reference": order.reference}))
    assert response.status_code == 404

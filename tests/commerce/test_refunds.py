"""Refunds by the association's admin through Stripe: partial then full, the enrollment kept
or cancelled as the admin chooses, never more than was paid, every one audited."""

import pytest
from django.core.exceptions import ValidationError

from commerce.models import OrderStatus
from commerce.services.refunds import refund_order
from commerce.stripe_gateway import client_for
from courses.models import Enrollment
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member

from .test_checkout import buy, pay


@pytest.fixture
def paid_order(great_lakes, webinar, signed_in, merchant, card_token, stripe_events, deliver):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    pay(signed_in, order, card_token(great_lakes))
    order.refresh_from_db()
    (event,) = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    deliver(signed_in, great_lakes, event)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


@pytest.fixture
def admin(great_lakes):
    return member(great_lakes, Role.ADMIN)


def stripe_refunds(order):
    refunds = client_for(order.association).v1.refunds.list(
        params={"payment_intent": order.stripe_payment_intent}
    )
    return sorted(refund.amount for refund in refunds.data)


def test_a_partial_then_full_refund(paid_order, admin, buyer, webinar):
    refund_order(order=paid_order, amount=2000, by=admin, reason="Missed the first hour")
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.refunded) == (OrderStatus.PARTIALLY_REFUNDED, 2000)
    assert Enrollment.objects.get(learner=buyer, training_id=webinar.pk).status == "active"

    with pytest.raises(ValidationError):
        refund_order(order=paid_order, amount=4001, by=admin)  # only 40.00 is left
    paid_order.refresh_from_db()
    assert paid_order.refunded == 2000 and stripe_refunds(paid_order) == [2000]

    refund_order(order=paid_order, amount=4000, by=admin, reason="Cancelled", revoke=True)
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.refunded) == (OrderStatus.REFUNDED, 6000)
    assert stripe_refunds(paid_order) == [2000, 4000]
    assert Enrollment.objects.get(learner=buyer, training_id=webinar.pk).status == "cancelled"
    entries = AuditEvent.objects.filter(action=AuditAction.ORDER_REFUNDED, target_id=paid_order.pk)
    assert sorted(e.details["amount"] for e in entries) == [2000, 4000]
    assert {e.actor_id for e in entries} == {admin.pk}

    with pytest.raises(ValidationError):
        refund_order(order=paid_order, amount=1, by=admin)


@pytest.mark.parametrize("amount", [0, -5, 10.5, True])
def test_a_refund_of_nothing_or_junk_is_refused(paid_order, admin, amount):
    with pytest.raises(ValidationError):
        refund_order(order=paid_order, amount=amount, by=admin)
    paid_order.refresh_from_db()
    assert paid_order.refunded == 0 and stripe_refunds(paid_order) == []

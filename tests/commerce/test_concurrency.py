"""Races a real checkout meets, each request in its own thread on its own database
connection (run on PostgreSQL for real row locks): ten buyers clicking Buy with a coupon
limited to three uses, the same Stripe event delivered twice at once, a double-clicked Buy.

``place_order``'s own coupon race (ten calls against a limit of three) is tested in
tests/commerce/test_offers.py; here the same race goes through the Buy button, as buyers
meet it.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commerce.models import Order, OrderStatus, StripeEvent
from commerce.offers.models import CouponRedemption
from commerce.offers.services import uses_of
from courses.models import Enrollment
from lms.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

from .test_checkout import buy, pay
from .test_offers import coupon

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lakes(framework):
    """Great Lakes for a test that commits (the flush removed the default site)."""
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association

    ensure_default_site()
    return association("great-lakes", name="Great Lakes Association")


@pytest.fixture
def paid_webinar(lakes):
    from tests.courses.factories import training

    return training(lakes, "Serve and return", kind="webinar", price=6000, member_price=4500)


def at_once(calls):
    """Run each callable in its own thread, released together; returns their results in
    order and fails on any exception."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # any error fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ten_buyers_clicking_buy_with_a_coupon_limited_to_three_get_three_discounts(
    lakes, paid_webinar, merchant
):
    merchant(lakes)
    limited = coupon(lakes, "THREE", max_uses=3)
    buyers = [UserFactory() for _ in range(10)]
    clients = [signed_in_client(person) for person in buyers]
    url = reverse("commerce:buy_training", args=[paid_webinar.pk])

    answers = at_once([lambda c=c: c.post(url, {"coupon": "three"}) for c in clients])

    assert all(answer.status_code == 302 for answer in answers)
    to_pay = [a for a in answers if "/pay/" in a["Location"]]
    assert len(to_pay) == 3  # the seven others are sent back to the training with the reason
    orders = Order.objects.filter(association=lakes)
    assert orders.count() == 3 and {o.total for o in orders} == {4500}
    assert uses_of(limited) == 3
    assert CouponRedemption.objects.filter(coupon=limited, order__isnull=False).count() == 3


def test_the_same_webhook_event_delivered_twice_at_once_fulfils_once(
    lakes, paid_webinar, merchant, card_token, stripe_events, deliver
):
    merchant(lakes)
    person = UserFactory()
    client = signed_in_client(person)
    order = buy(client, paid_webinar)
    pay(client, order, card_token(lakes))
    order.refresh_from_db()
    (event,) = stripe_events(lakes, order.stripe_payment_intent, "payment_intent.succeeded")

    answers = at_once([lambda: deliver(Client(), lakes, event) for _ in range(2)])

    assert sorted(a.content for a in answers) == [b"duplicate", b"paid"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Enrollment.objects.filter(learner=person, training_id=paid_webinar.pk).count() == 1
    assert StripeEvent.objects.filter(event_id=event.id).count() == 1
    paid = AuditEvent.objects.filter(action=AuditAction.ORDER_PAID, target_id=str(order.pk))
    assert paid.count() == 1


def test_two_racing_buy_clicks_give_one_order(lakes, paid_webinar, merchant):
    merchant(lakes)
    person = UserFactory()
    clients = [signed_in_client(person), signed_in_client(person)]
    url = reverse("commerce:buy_training", args=[paid_webinar.pk])

    answers = at_once([lambda c=c: c.post(url) for c in clients])

    order = Order.objects.get(buyer=person)  # one, not two
    pay_url = reverse("commerce:pay", kwargs={"reference": order.reference})
    assert [a["Location"] for a in answers] == [pay_url, pay_url]

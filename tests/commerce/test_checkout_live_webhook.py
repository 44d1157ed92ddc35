"""Stripe's side delivers the webhook itself: localstripe POSTs its signed events to our
webhook URL on a live server, as Stripe does in production, and that alone pays the order."""

import time

import pytest
from django.test import Client

from commerce.models import Order, OrderStatus, StripeEvent
from courses.models import Enrollment
from tests.factories import UserFactory

from .test_checkout import buy, pay


def settled(order: Order, timeout: float = 20) -> Order:
    """The order once a webhook has moved it out of PENDING (localstripe waits a second
    before it delivers), or as it is when the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        order.refresh_from_db()
        if order.status != OrderStatus.PENDING or time.monotonic() > deadline:
            return order
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_the_signed_webhook_that_pays_and_enrolls(
    live_server, framework, merchant, card_token, localstripe_webhook
):
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association, training

    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    webinar = training(lakes, "Serve and return", kind="webinar", price=6000)
    merchant(lakes)
    localstripe_webhook(lakes, live_server.url)
    person = UserFactory()
    client = Client()
    client.force_login(person)

    order = buy(client, webinar)
    assert pay(client, order, card_token(lakes)).json()["status"] == "processing"

    order = settled(order)
    assert order.status == OrderStatus.PAID
    assert Enrollment.objects.filter(learner=person, training_id=webinar.pk).count() == 1
    assert StripeEvent.objects.filter(
        order=order, type="payment_intent.succeeded", association=lakes
    ).exists()

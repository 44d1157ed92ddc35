"""Buying a training through Stripe (localstripe as a real process): the order is placed at
the buyer's price, paid by card on the payment page, and the buyer is enrolled only when
Stripe's signed webhook confirms the payment, once, whatever the order of arrival."""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from commerce.models import Order, OrderStatus, StripeEvent
from commerce.services.orders import expire_abandoned_orders
from courses.models import Enrollment
from lms.audit.models import AuditAction, AuditEvent
from tests.courses.factories import site_path
from tests.factories import UserFactory

from .conftest import DECLINED


def buy(client, webinar) -> Order:
    response = client.post(reverse("commerce:buy_training", args=[webinar.pk]))
    order = Order.objects.order_by("-pk").first()
    assert response.status_code == 302, response
    assert response["Location"] == reverse("commerce:pay", kwargs={"reference": order.reference})
    return order


def pay(client, order, token):
    return client.post(
        reverse("commerce:pay", kwargs={"reference": order.reference}),
        {"token": token},
        HTTP_ACCEPT="application/json",
    )


def enrollments(buyer, webinar):
    return Enrollment.objects.filter(learner=buyer, training_id=webinar.pk)


def test_a_non_member_pays_the_price_and_is_enrolled_once_by_the_webhook(
    great_lakes, webinar, buyer, signed_in, merchant, card_token, stripe_events, deliver
):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    assert (order.total, order.status) == (6000, OrderStatus.PENDING)
    page = signed_in.get(reverse("commerce:pay", kwargs={"reference": order.reference}))
    assert page.status_code == 200
    assert "$60.00" in page.content.decode() and "data-pay-form" in page.content.decode()

    answer = pay(signed_in, order, card_token(great_lakes))
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "processing"
    order.refresh_from_db()
    assert order.stripe_payment_intent.startswith("pi_")

    # The browser returns before the webhook: it waits, nothing is fulfilled from it.
    status = signed_in.get(answer.json()["redirect"])
    assert 'http-equiv="refresh"' in status.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not enrollments(buyer, webinar).exists()

    (event,) = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    assert deliver(signed_in, great_lakes, event).content == b"paid"
    assert deliver(signed_in, great_lakes, event).content == b"duplicate"  # delivered twice
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert order.number == f"GREAT-LAKES-{timezone.localdate().year}-00001"
    assert enrollments(buyer, webinar).count() == 1
    assert order.lines.get().fulfilled_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.ORDER_PAID, target_id=order.pk).count() == 1
    status = signed_in.get(answer.json()["redirect"])
    assert 'http-equiv="refresh"' not in status.content.decode()
    assert order.number in status.content.decode()


def test_the_webhook_before_the_browser_returns_just_works(
    great_lakes, webinar, buyer, signed_in, merchant, card_token, stripe_events, deliver
):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    answer = pay(signed_in, order, card_token(great_lakes))
    order.refresh_from_db()
    (event,) = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    deliver(signed_in, great_lakes, event)
    page = signed_in.get(answer.json()["redirect"]).content.decode()
    assert 'data-order-status="paid"' in page
    assert enrollments(buyer, webinar).count() == 1


def test_a_member_pays_the_member_price(great_lakes, webinar, buyer, signed_in, merchant):
    from commerce.memberships.models import (
        AssociationMembership,
        MembershipPlan,
        MembershipSource,
        MembershipStatus,
    )

    plan = MembershipPlan.objects.create(
        association=great_lakes, name="Annual", annual_dues=7000, member_prices=True
    )
    today = timezone.localdate()
    AssociationMembership.objects.create(
        person=buyer,
        association=great_lakes,
        plan=plan,
        status=MembershipStatus.ACTIVE,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=300),
        source=MembershipSource.ADMIN,
    )
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    assert order.total == 4500 and order.lines.get().unit_amount == 4500


def test_a_second_click_on_buy_goes_back_to_the_same_order(
    great_lakes, webinar, signed_in, merchant
):
    merchant(great_lakes)
    first = buy(signed_in, webinar)
    assert buy(signed_in, webinar) == first
    assert Order.objects.count() == 1


def test_a_forged_webhook_changes_nothing(
    great_lakes, webinar, buyer, signed_in, merchant, card_token, stripe_events, deliver
):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    pay(signed_in, order, card_token(great_lakes))
    order.refresh_from_db()
    (event,) = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    forged = deliver(signed_in, great_lakes, event, secret="whsec_someone_else")
    assert forged.status_code == 400
    # A genuine signature over a body someone changed afterwards.
    body = json.dumps(event.to_dict())
    tampered = deliver(signed_in, great_lakes, event, payload=body.replace("6000", "6001"))
    unsigned = signed_in.post(
        reverse("commerce:stripe_webhook", kwargs={"slug": great_lakes.slug}),
        data=body,
        content_type="application/json",
    )
    assert tampered.status_code == 400 or tampered.content == b"amount mismatch"
    assert unsigned.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not order.number
    assert not enrollments(buyer, webinar).exists()
    assert (
        not StripeEvent.objects.filter(event_id=event.id, order=order)
        .exclude(type="payment_intent.succeeded")
        .exists()
    )


def test_another_associations_secret_cannot_settle_this_order(
    great_lakes, prairie, webinar, buyer, signed_in, merchant, card_token, stripe_events, deliver
):
    """Each association's webhook verifies with its own secret and settles only its orders."""
    merchant(great_lakes)
    merchant(prairie)
    order = buy(signed_in, webinar)
    pay(signed_in, order, card_token(great_lakes))
    order.refresh_from_db()
    (event,) = stripe_events(great_lakes, order.stripe_payment_intent, "payment_intent.succeeded")
    assert deliver(signed_in, prairie, event).content == b"not ours"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not enrollments(buyer, webinar).exists()


def test_a_declined_card_enrolls_nobody_and_says_why(
    great_lakes, webinar, buyer, signed_in, merchant, card_token, stripe_events, deliver
):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    answer = pay(signed_in, order, card_token(great_lakes, DECLINED))
    assert answer.status_code == 402
    assert answer.json() == {
        "status": "declined",
        "message": "Your card was declined.",
        "client_secret": "",
        "redirect": reverse("commerce:order", kwargs={"reference": order.reference}),
    }
    order.refresh_from_db()
    (event,) = stripe_events(
        great_lakes, order.stripe_payment_intent, "payment_intent.payment_failed"
    )
    assert deliver(signed_in, great_lakes, event).content == b"failed"
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert order.failure_message == "Your card was declined."
    assert not enrollments(buyer, webinar).exists()
    page = signed_in.get(reverse("commerce:order", kwargs={"reference": order.reference}))
    assert "Your card was declined." in page.content.decode()


def test_without_stripe_keys_a_paid_training_says_payments_are_not_set_up(
    great_lakes, webinar, buyer, signed_in
):
    page = signed_in.get(site_path(webinar), HTTP_HOST=great_lakes.site.hostname)
    assert page.status_code == 200
    assert "has not set up online payments yet" in page.content.decode()
    response = signed_in.post(reverse("commerce:buy_training", args=[webinar.pk]), follow=True)
    assert "has not set up online payments yet" in response.content.decode()
    assert not Order.objects.exists() and not enrollments(buyer, webinar).exists()


def test_an_abandoned_order_expires_and_can_no_longer_be_paid(
    great_lakes, webinar, signed_in, merchant, card_token, settings
):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(minutes=settings.ATTUNE_ORDER_PENDING_MINUTES + 1)
    )
    pay_url = reverse("commerce:pay", kwargs={"reference": order.reference})
    assert signed_in.get(pay_url)["Location"].endswith(f"/orders/{order.reference}/")
    assert pay(signed_in, order, card_token(great_lakes)).json()["status"] == "declined"
    assert expire_abandoned_orders() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and not order.stripe_payment_intent
    assert AuditEvent.objects.filter(action=AuditAction.ORDER_EXPIRED, target_id=order.pk).exists()


def test_an_order_is_only_its_buyers(great_lakes, webinar, signed_in, merchant, client):
    merchant(great_lakes)
    order = buy(signed_in, webinar)
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    for name in ("commerce:pay", "commerce:order"):
        assert client.get(reverse(name, kwargs={"reference": order.reference})).status_code == 404
    assert (
        client.post(
            reverse("commerce:pay", kwargs={"reference": order.reference}), {"token": "tok_x"}
        ).status_code
        == 404
    )


def test_the_training_page_offers_buy_at_the_readers_price(
    great_lakes, webinar, signed_in, merchant
):
    merchant(great_lakes)
    page = signed_in.get(site_path(webinar), HTTP_HOST=great_lakes.site.hostname).content.decode()
    assert reverse("commerce:buy_training", args=[webinar.pk]) in page
    assert "Buy for $60.00" in page
    assert reverse("learning:enroll", args=[webinar.pk]) not in page

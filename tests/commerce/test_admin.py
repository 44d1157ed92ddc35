# ruff: noqa: F811 - the refunds tests' fixtures, imported, are taken as arguments
"""The association administrator's payment screens: its Stripe settings (secrets write-only,
audited without their values, a connection check against localstripe) and its orders (list,
one order, refunds through Stripe, refusals that change nothing), scoped to its association."""

import re

import pytest
from django.urls import reverse

from commerce.models import LineKind, MerchantAccount, Order, OrderStatus
from commerce.services.orders import LineSpec, place_order
from commerce.services.payments import mark_paid_by_hand
from courses.models import Enrollment
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.factories import UserFactory

from .test_refunds import admin, paid_order, stripe_refunds  # noqa: F401 - fixtures


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def edit_url(association):
    return reverse("stripe_admin:edit", kwargs={"slug": association.slug})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_admin_sets_the_stripe_keys_and_secrets_are_never_shown_or_logged(
    great_lakes, admin_client
):
    page = admin_client.get(edit_url(great_lakes))
    assert page.status_code == 200
    assert "Online payments are not set up." in text(page)
    assert f"/payments/stripe/{great_lakes.slug}/webhook/" in text(page)
    assert "USD" in text(page)

    answer = admin_client.post(
        edit_url(great_lakes),
        {
            "enabled": "on",
            "publishable_key": "pk_test_abc",
            "secret_key": "sk_test_verysecret",
            "webhook_secret": "whsec_alsosecret",
        },
    )
    assert answer.status_code == 302
    account = MerchantAccount.objects.get(association=great_lakes)
    assert account.is_configured and account.secret_key == "sk_test_verysecret"
    assert "verysecret" not in account.secret_key_encrypted

    page = admin_client.get(edit_url(great_lakes))
    assert "Online payments are on." in text(page)
    assert "verysecret" not in text(page) and "alsosecret" not in text(page)
    assert text(page).count("Set. Leave empty to keep it") == 2

    # Empty secrets keep the stored ones; switching off keeps the keys.
    admin_client.post(edit_url(great_lakes), {"publishable_key": "pk_test_abc"})
    account.refresh_from_db()
    assert account.secret_key == "sk_test_verysecret" and account.webhook_secret
    assert not account.enabled and not account.is_configured and account.has_keys
    assert "switched off" in text(admin_client.get(edit_url(great_lakes)))

    entries = AuditEvent.objects.filter(action=AuditAction.MERCHANT_CONFIGURED)
    assert [e.details["changed"] for e in entries.order_by("pk")] == [
        ["publishable_key", "secret_key", "webhook_secret"],
        ["disabled"],
    ]
    assert not any(
        "verysecret" in str(e.details) or "alsosecret" in str(e.details) for e in entries
    )


def test_a_key_that_is_not_a_stripe_key_is_refused_and_changes_nothing(great_lakes, admin_client):
    answer = admin_client.post(
        edit_url(great_lakes),
        {"enabled": "on", "publishable_key": "pk_test_abc", "secret_key": "password123"},
    )
    assert answer.status_code == 400
    assert "should start with sk_ / rk_" in text(answer)
    assert not MerchantAccount.objects.filter(association=great_lakes).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MERCHANT_CONFIGURED).exists()


def test_another_associations_admin_and_editors_cannot_reach_the_settings(
    great_lakes, prairie, client
):
    client.force_login(member(prairie, Role.ADMIN))
    assert client.get(edit_url(great_lakes)).status_code == 404
    assert client.post(edit_url(great_lakes), {"publishable_key": "pk_x"}).status_code == 404
    # The only association it manages opens directly.
    assert client.get(reverse("stripe_admin:index"))["Location"] == edit_url(prairie)
    client.force_login(member(great_lakes, Role.EDITOR))
    assert client.get(edit_url(great_lakes)).status_code in (302, 403)
    assert not MerchantAccount.objects.exists()


def test_the_connection_check_asks_stripe(great_lakes, admin_client, merchant, admin):
    merchant(great_lakes)
    check = reverse("stripe_admin:check", kwargs={"slug": great_lakes.slug})
    answer = admin_client.post(check, follow=True)
    assert "Stripe answered: the secret key works." in text(answer)

    from commerce.services.merchant import configure_merchant

    configure_merchant(
        association=great_lakes, by=admin, publishable_key="pk_test_x", secret_key="rk_test_bad"
    )
    answer = admin_client.post(check, follow=True)
    assert "The connection to Stripe failed. Stripe refused the secret key" in text(answer)


# Orders ------------------------------------------------------------------------------------


def placed(association, buyer, description, amount=6000, *, training, paid=False, by=None):
    order = place_order(
        buyer=buyer,
        association=association,
        lines=[LineSpec(LineKind.TRAINING, training.pk, description, amount)],
    )
    if paid:
        order = mark_paid_by_hand(order=order, by=by, note="check 100")
    return order


def test_the_orders_list_shows_its_associations_orders_filtered(
    great_lakes,
    prairie,
    admin,
    admin_client,
    webinar,
    django_assert_max_num_queries,
):
    ada = UserFactory(email="ada@example.org", first_name="Ada")
    bob = UserFactory(email="bob@example.org")
    paid = placed(great_lakes, ada, "Ada's webinar", training=webinar, paid=True, by=admin)
    placed(great_lakes, bob, "Bob's webinar", training=webinar)
    for n in range(20):
        placed(great_lakes, UserFactory(), f"Webinar {n}", training=webinar)
    placed(prairie, bob, "Prairie's webinar", training=webinar)
    url = reverse("orders_admin:index")

    with django_assert_max_num_queries(20):
        page = admin_client.get(url)
    assert page.status_code == 200
    body = text(page)
    assert paid.number and paid.number in body
    assert "ada@example.org" in body and "bob@example.org" in body
    assert body.count('data-order-status="pending"') == 21
    assert "Prairie" not in body

    body = text(admin_client.get(url, {"status": "paid"}))
    assert body.count("data-order-status=") == 1 and paid.number in body
    body = text(admin_client.get(url, {"q": "bob@"}))
    assert body.count("data-order-status=") == 1 and "bob@example.org" in body
    body = text(admin_client.get(url, {"q": paid.number}))
    assert body.count("data-order-status=") == 1
    body = text(admin_client.get(url, {"start": "2000-01-01", "end": "2000-12-31"}))
    assert "No orders match." in body
    refused = admin_client.get(url, {"start": "2001-01-01", "end": "2000-01-01"})
    assert "The period must end on or after the day it starts." in text(refused)


def test_an_order_of_another_association_is_not_found(prairie, admin_client, webinar):
    theirs = placed(prairie, UserFactory(), "Prairie's webinar", training=webinar)
    url = reverse("orders_admin:order", kwargs={"reference": theirs.reference})
    assert admin_client.get(url).status_code == 404
    refund = reverse("orders_admin:refund", kwargs={"reference": theirs.reference})
    assert admin_client.post(refund, {"amount": "1", "access": "keep"}).status_code == 404


def test_an_admin_refunds_part_then_the_rest_from_the_order_screen(
    paid_order,
    admin_client,
    buyer,
    webinar,
):
    url = reverse("orders_admin:order", kwargs={"reference": paid_order.reference})
    page = admin_client.get(url)
    body = text(page)
    assert page.status_code == 200
    assert paid_order.number in body and paid_order.stripe_payment_intent in body
    assert "payment_intent.succeeded" in body and "Order paid" in body
    assert 'name="amount" value="60.00"' in body  # the whole of it by default

    refund = reverse("orders_admin:refund", kwargs={"reference": paid_order.reference})
    answer = admin_client.post(refund, {"amount": "20", "access": "keep", "reason": "Late"})
    assert answer.status_code == 302
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.refunded) == (OrderStatus.PARTIALLY_REFUNDED, 2000)
    assert Enrollment.objects.get(learner=buyer, training_id=webinar.pk).status == "active"

    # More than is left: refused with the reason, nothing changed here nor at Stripe.
    answer = admin_client.post(refund, {"amount": "40.01", "access": "cancel"})
    assert answer.status_code == 400
    assert "At most $40.00 is left to refund." in text(answer)
    paid_order.refresh_from_db()
    assert paid_order.refunded == 2000 and stripe_refunds(paid_order) == [2000]

    answer = admin_client.post(refund, {"amount": "40", "access": "cancel", "reason": "Left"})
    assert answer.status_code == 302
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.refunded) == (OrderStatus.REFUNDED, 6000)
    assert Enrollment.objects.get(learner=buyer, training_id=webinar.pk).status == "cancelled"
    body = text(admin_client.get(url))
    assert "Late" in body and "Left" in body and "Order refunded" in body
    assert "data-refund-form" not in body


def test_stripe_refusing_a_refund_is_said_and_changes_nothing(
    paid_order,
    admin_client,
    admin,
    great_lakes,
):
    from commerce.services.merchant import configure_merchant

    account = MerchantAccount.objects.get(association=great_lakes)
    configure_merchant(
        association=great_lakes,
        by=admin,
        publishable_key=account.publishable_key,
        secret_key="rk_test_revoked",
    )
    refund = reverse("orders_admin:refund", kwargs={"reference": paid_order.reference})
    answer = admin_client.post(refund, {"amount": "60", "access": "cancel"})
    assert answer.status_code == 400
    assert "Stripe did not make the refund" in text(answer)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID and paid_order.refunded == 0
    assert not paid_order.refunds.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ORDER_REFUNDED).exists()
    assert Order.objects.count() == 1

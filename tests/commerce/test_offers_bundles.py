"""Bundles: the public page (trainings, hours, price, Buy), buying places one order (twice
clicked, still one), a paid bundle enrolls its buyer in each training once; association
admins manage coupons and bundles in the Wagtail admin, their own only, with uses counted."""

import pytest
from django.urls import reverse

from commerce.fulfilment import fulfil_line
from commerce.models import LineKind, Order, OrderStatus
from commerce.offers.models import Bundle, Coupon, CouponKind
from courses.models import Enrollment, EnrollmentSource
from lms.audit.models import AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member, training
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(great_lakes):
    bundle = Bundle.objects.create(
        association=great_lakes,
        title="IFS renewal pack",
        description="Fifteen hours for your renewal.",
        price=15000,
        member_price=12000,
    )
    bundle.trainings.set(
        [
            training(great_lakes, "Reflective practice", hours={"TF": "7.5"}, price=9000),
            training(great_lakes, "Cultural humility", kind="webinar", hours={"REF": "7.5"}),
        ]
    )
    return bundle


def test_the_bundle_page_lists_its_trainings_hours_and_price(client, pack, merchant):
    merchant(pack.association)
    page = client.get(reverse("commerce:bundle", args=[pack.pk])).content.decode()
    page = page.replace("\xa0", " ")
    assert "IFS renewal pack" in page and "Reflective practice" in page
    assert "15 contact hours in all" in page
    assert "$150.00" in page and "$120.00 for members" in page
    assert "Sign in to buy" in page
    listing = client.get(reverse("commerce:bundles", args=[pack.association.slug]))
    assert "IFS renewal pack" in listing.content.decode()


def test_without_stripe_the_page_says_payments_are_not_set_up(client, pack):
    client.force_login(UserFactory())
    page = client.get(reverse("commerce:bundle", args=[pack.pk])).content.decode()
    assert "not set up online payments" in page
    response = client.post(reverse("commerce:bundle_buy", args=[pack.pk]))
    assert response.status_code == 302 and not Order.objects.exists()


def test_a_bundle_off_sale_is_not_found(client, pack):
    pack.active = False
    pack.save()
    assert client.get(reverse("commerce:bundle", args=[pack.pk])).status_code == 404


def test_buying_places_one_order_and_paying_enrolls_in_each_training_once(client, pack, merchant):
    merchant(pack.association)
    buyer = UserFactory()
    client.force_login(buyer)
    first = client.post(reverse("commerce:bundle_buy", args=[pack.pk]))
    again = client.post(reverse("commerce:bundle_buy", args=[pack.pk]))
    order = Order.objects.get()
    assert first["Location"] == again["Location"] == reverse("commerce:pay", args=[order.reference])
    line = order.lines.get()
    assert (line.kind, line.target_id, line.amount) == (LineKind.BUNDLE, pack.pk, 15000)

    from commerce.services.payments import mark_paid_by_hand

    mark_paid_by_hand(order=order, by=UserFactory(is_superuser=True), note="Check")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    fulfil_line(order.lines.get())  # a second delivery changes nothing
    enrollments = Enrollment.objects.filter(learner=buyer)
    assert enrollments.count() == 2
    assert {e.source for e in enrollments} == {EnrollmentSource.PURCHASE}
    assert {e.order_line_id for e in enrollments} == {line.pk}
    page = client.get(reverse("commerce:bundle", args=[pack.pk])).content.decode()
    assert "already enrolled in every training" in page


def test_a_coupon_on_a_bundle(client, pack, merchant):
    merchant(pack.association)
    Coupon.objects.create(
        association=pack.association, code="PACK", kind=CouponKind.AMOUNT, amount_off=5000
    )
    client.force_login(UserFactory())
    client.post(reverse("commerce:bundle_buy", args=[pack.pk]), {"coupon": "pack"})
    assert Order.objects.get().total == 10000


def test_a_refused_coupon_says_why_and_orders_nothing(client, pack, merchant):
    merchant(pack.association)
    client.force_login(UserFactory())
    response = client.post(
        reverse("commerce:bundle_buy", args=[pack.pk]), {"coupon": "nope"}, follow=True
    )
    assert "That coupon code is not valid." in response.content.decode()
    assert not Order.objects.exists()


def test_admins_manage_their_own_coupons_with_uses_counted(client, great_lakes, prairie):
    admin = member(great_lakes, Role.ADMIN)
    editor = member(great_lakes, Role.EDITOR)
    ours = Coupon.objects.create(
        association=great_lakes, code="LAKES10", kind="percent", percent_off=10, max_uses=5
    )
    Coupon.objects.create(association=prairie, code="PRAIRIE", kind="percent", percent_off=10)
    listing = reverse("wagtailsnippets_commerce_offers_coupon:list")
    client.force_login(admin)
    page = client.get(listing).content.decode()
    assert "LAKES10" in page and "PRAIRIE" not in page and "0 / 5" in page

    response = client.post(
        reverse("wagtailsnippets_commerce_offers_coupon:add"),
        {
            "code": "SUMMER",
            "association": great_lakes.pk,
            "kind": "amount",
            "amount_off": "12.50",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Coupon.objects.get(code="SUMMER").amount_off == 1250
    assert AuditEvent.objects.filter(action="offer_changed").count() == 1
    refused = client.post(
        reverse("wagtailsnippets_commerce_offers_coupon:add"),
        {"code": "JUNK", "association": great_lakes.pk, "kind": "amount", "amount_off": "ten"},
    )
    assert refused.status_code == 200 and not Coupon.objects.filter(code="JUNK").exists()
    assert "Enter an amount like 60 or 60.00." in refused.content.decode()

    client.force_login(editor)
    assert client.get(listing).status_code in (302, 403)
    edit = reverse("wagtailsnippets_commerce_offers_coupon:edit", args=[ours.pk])
    client.force_login(member(prairie, Role.ADMIN))
    assert client.get(edit).status_code in (302, 403)

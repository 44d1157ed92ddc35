"""Coupons: their limits, the discounts they give (integers that add up), their uses reserved,
kept and given back with the order; 10 concurrent checkouts against a limit of 3."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from commerce.models import LineKind, OrderStatus
from commerce.offers.models import Coupon, CouponKind, CouponRedemption, RedemptionStatus
from commerce.offers.services import (
    coupon_total,
    release_coupon,
    reserve_coupon,
    split_discount,
    uses_of,
)
from commerce.services.orders import LineSpec, apply_coupon, place_order
from lms.audit.models import AuditEvent
from tests.courses.factories import training
from tests.factories import UserFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def coupon(association, code="SPRING25", **fields):
    fields.setdefault("kind", CouponKind.PERCENT)
    if fields["kind"] == CouponKind.PERCENT:
        fields.setdefault("percent_off", 25)
    return Coupon.objects.create(association=association, code=code, **fields)


def line(training_id=1, amount=6000, kind=LineKind.TRAINING, quantity=1):
    return LineSpec(kind, training_id, f"Line {training_id}", amount, quantity)


@given(
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
    share=st.fractions(min_value=0, max_value=1),
)
def test_a_discount_splits_into_integers_that_add_up_and_fit_each_line(weights, share):
    total = int(sum(weights) * share)
    parts = split_discount(total, weights)
    assert sum(parts) == total
    assert all(isinstance(p, int) and 0 <= p <= w for p, w in zip(parts, weights, strict=True))


@given(
    amounts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
    percent=st.integers(min_value=1, max_value=100),
    fixed=st.integers(min_value=1, max_value=10**7),
)
def test_a_coupon_never_takes_more_than_the_lines(amounts, percent, fixed):
    for made in (
        Coupon(kind=CouponKind.PERCENT, percent_off=percent),
        Coupon(kind=CouponKind.AMOUNT, amount_off=fixed),
    ):
        total = coupon_total(made, sum(amounts))
        assert 0 <= total <= sum(amounts)
        assert sum(split_discount(total, amounts)) == total


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return UserFactory()


@pytestmark_db
def test_percent_and_fixed_coupons_discount_trainings(great_lakes, buyer):
    coupon(great_lakes, "QUARTER")
    _, discounts = reserve_coupon(
        code="quarter", association=great_lakes, buyer=buyer, lines=[line(1, 6000), line(2, 3999)]
    )
    assert sum(discounts) == 2500 and discounts == [1500, 1000]
    coupon(great_lakes, "TENOFF", kind=CouponKind.AMOUNT, amount_off=1000)
    _, discounts = reserve_coupon(
        code="TenOff", association=great_lakes, buyer=buyer, lines=[line(1, 500), line(2, 1500)]
    )
    assert discounts == [250, 750]


@pytestmark_db
@pytest.mark.parametrize(
    ("fields", "lines", "message"),
    [
        ({"active": False}, None, "not valid"),
        ({"valid_from": "tomorrow"}, None, "cannot be used yet"),
        ({"valid_until": "yesterday"}, None, "expired"),
        ({"max_uses": 0}, None, "used up"),
        ({}, [line(1, 8500, kind=LineKind.MEMBERSHIP)], "not for these"),
    ],
)
def test_a_coupon_refuses_clearly_and_writes_nothing(great_lakes, buyer, fields, lines, message):
    dates = {"tomorrow": TODAY() + DAY, "yesterday": TODAY() - DAY}
    coupon(great_lakes, **{k: dates.get(v, v) for k, v in fields.items()})
    with pytest.raises(ValidationError, match=message):
        reserve_coupon(
            code="SPRING25", association=great_lakes, buyer=buyer, lines=lines or [line()]
        )
    with pytest.raises(ValidationError, match="not valid"):
        reserve_coupon(code="NOPE", association=great_lakes, buyer=buyer, lines=[line()])
    assert not CouponRedemption.objects.exists()


@pytestmark_db
def test_a_coupon_for_some_trainings_discounts_only_those(great_lakes, buyer):
    theirs = training(great_lakes, "Covered", price=6000)
    other = training(great_lakes, "Not covered", price=6000)
    made = coupon(great_lakes, percent_off=50)
    made.trainings.set([theirs])
    _, discounts = reserve_coupon(
        code="SPRING25",
        association=great_lakes,
        buyer=buyer,
        lines=[line(theirs.pk), line(other.pk)],
    )
    assert discounts == [3000, 0]
    with pytest.raises(ValidationError, match="not for these trainings"):
        reserve_coupon(
            code="SPRING25", association=great_lakes, buyer=buyer, lines=[line(other.pk)]
        )


@pytestmark_db
def test_codes_are_unique_per_association_whatever_the_case(great_lakes, prairie):
    coupon(great_lakes, "Spring")
    coupon(prairie, "SPRING")
    with pytest.raises(IntegrityError), transaction.atomic():
        coupon(great_lakes, "sPRING")
    with pytest.raises(ValidationError, match="already has this code"):
        Coupon(association=great_lakes, code="spring ", kind="percent", percent_off=5).full_clean()


@pytestmark_db
def test_a_coupon_of_another_association_is_unknown(great_lakes, prairie, buyer):
    coupon(prairie, "PRAIRIE")
    with pytest.raises(ValidationError, match="not valid"):
        reserve_coupon(code="PRAIRIE", association=great_lakes, buyer=buyer, lines=[line()])


@pytestmark_db
def test_an_orders_use_is_reserved_kept_when_paid_and_given_back_when_it_fails(great_lakes, buyer):
    from commerce.services.payments import mark_paid_by_hand

    made = coupon(great_lakes, max_uses=2)
    webinar = training(great_lakes, "Paid webinar", kind="webinar", price=6000)
    paid = place_order(
        buyer=buyer, association=great_lakes, lines=[line(webinar.pk)], coupon_code="spring25"
    )
    failed = place_order(
        buyer=buyer, association=great_lakes, lines=[line()], coupon_code="SPRING25"
    )
    assert paid.discount == 1500 and paid.total == 4500
    assert paid.coupon_redemption.status == RedemptionStatus.RESERVED
    assert uses_of(made) == 2
    with pytest.raises(ValidationError, match="used up"):
        place_order(buyer=buyer, association=great_lakes, lines=[line()], coupon_code="SPRING25")

    admin = UserFactory(is_superuser=True)
    mark_paid_by_hand(order=paid, by=admin, note="Check 1042")
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    assert paid.coupon_redemption.status == RedemptionStatus.KEPT
    release_coupon(order=paid)  # a paid order keeps its use
    assert uses_of(made) == 2

    release_coupon(order=failed)
    release_coupon(order=failed)  # twice changes nothing
    assert uses_of(made) == 1
    assert AuditEvent.objects.filter(action="coupon_released").count() == 1
    assert AuditEvent.objects.filter(action="coupon_reserved").count() == 2


@pytestmark_db
def test_changing_the_code_of_a_pending_order_gives_the_old_use_back(great_lakes, buyer):
    first, second = coupon(great_lakes, "FIRST"), coupon(great_lakes, "SECOND", percent_off=50)
    order = place_order(buyer=buyer, association=great_lakes, lines=[line()], coupon_code="first")
    order = apply_coupon(order=order, code="second")
    assert (uses_of(first), uses_of(second)) == (0, 1)
    assert order.coupon_redemption.coupon == second and order.total == 3000
    with pytest.raises(ValidationError):
        apply_coupon(order=order, code="unknown")
    order.refresh_from_db()
    assert order.total == 3000 and uses_of(second) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_checkouts_use_a_coupon_limited_to_three_exactly_three_times(
    framework,
):
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association

    ensure_default_site()
    lakes = association("great-lakes", name="Great Lakes Association")
    limited = coupon(lakes, "THREE", max_uses=3)
    people = [UserFactory() for _ in range(10)]
    barrier = threading.Barrier(len(people))
    outcomes, errors = [], []

    def checkout(person):
        try:
            barrier.wait(timeout=30)
            place_order(buyer=person, association=lakes, lines=[line()], coupon_code="three")
            outcomes.append("discounted")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # anything else fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert outcomes.count("discounted") == 3 and outcomes.count("refused") == 7
    assert uses_of(limited) == 3
    assert CouponRedemption.objects.filter(coupon=limited, order__isnull=False).count() == 3

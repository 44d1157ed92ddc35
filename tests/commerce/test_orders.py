"""Placing orders: amounts frozen per line, totals equal to the lines' sums, bad input refused
with nothing written."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commerce.models import LineKind, Order, OrderStatus
from commerce.services.orders import LineSpec, _write_lines, place_order
from tests.factories import UserFactory


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.org")


def webinar_line(amount=6000, quantity=1, target=7):
    return LineSpec(LineKind.TRAINING, target, "Serve and return (webinar)", amount, quantity)


def test_an_order_freezes_its_lines_pending(great_lakes, buyer):
    order = place_order(buyer=buyer, association=great_lakes, lines=[webinar_line(6000, 2)])
    assert order.status == OrderStatus.PENDING
    assert (order.subtotal, order.discount, order.total) == (12000, 0, 12000)
    assert order.currency == getattr(great_lakes, "currency", "USD")
    line = order.lines.get()
    assert (line.unit_amount, line.quantity, line.amount) == (6000, 2, 12000)
    assert line.description == "Serve and return (webinar)"
    assert not order.number and order.paid_at is None


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [webinar_line(-1)],
        [webinar_line(6000, 0)],
        [webinar_line(60.0)],
        [webinar_line(True)],
        [LineSpec("gift", 1, "A gift", 100)],
        [LineSpec(LineKind.TRAINING, 1, "  ", 100)],
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(great_lakes, buyer, lines):
    with pytest.raises(ValidationError):
        place_order(buyer=buyer, association=great_lakes, lines=lines)
    assert not Order.objects.exists()


line_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000_000),
        st.integers(min_value=1, max_value=50),
        st.integers(min_value=0, max_value=100),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=line_specs)
def test_totals_equal_line_sums_whatever_the_lines_and_discounts(great_lakes, buyer, specs):
    """Whatever the prices, quantities and a coupon's per-line discounts (any share of each
    line), the order's total is the sum of its lines and every amount is an integer."""
    lines = [webinar_line(unit, qty, target=i + 1) for i, (unit, qty, _pct) in enumerate(specs)]
    order = place_order(buyer=buyer, association=great_lakes, lines=lines)
    discounts = [line.gross * pct // 100 for line, (_u, _q, pct) in zip(lines, specs, strict=True)]
    order.lines.all().delete()
    _write_lines(order, lines, discounts)
    order.save()  # the database's constraints check total = subtotal - discount per row
    order.refresh_from_db()
    stored = list(order.lines.all())
    assert order.total == sum(line.amount for line in stored)
    assert order.subtotal == sum(line.unit_amount * line.quantity for line in stored)
    assert order.discount == sum(line.discount for line in stored) == sum(discounts)
    assert all(isinstance(line.amount, int) and line.amount >= 0 for line in stored)

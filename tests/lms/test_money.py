from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lms.money import format_money, from_minor, to_minor


def test_amounts_are_written_the_way_each_language_writes_money():
    assert format_money(6000, "USD", "en") == "$60.00"
    assert format_money(6000, "USD", "es") == "60,00\xa0US$"
    with translation.override("es"):
        assert format_money(150, "usd") == "1,50\xa0US$"


def test_what_an_editor_types_becomes_minor_units_and_junk_is_refused():
    assert to_minor("60") == 6000
    assert to_minor("60.5") == 6050
    assert to_minor(Decimal("0.005")) == 1
    assert to_minor("1000", "JPY") == 1000
    for junk in ("", "abc", "NaN", "Infinity"):
        with pytest.raises(ValueError, match="not an amount"):
            to_minor(junk)


@given(st.integers(min_value=0, max_value=10**12))
def test_minor_units_survive_the_round_trip(amount):
    assert to_minor(from_minor(amount)) == amount

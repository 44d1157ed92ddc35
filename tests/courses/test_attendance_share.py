"""The attendance rule, the same for completion, credit kinds and the learning cards: exact
whole-number arithmetic, and a share short of the rule never reads as reaching it."""

from decimal import Decimal

from courses.selectors import credits
from courses.selectors.completion import AttendanceShare


def test_the_rule_is_exact_where_a_float_is_not():
    assert 29 / 100 * 100 < 29, "the float arithmetic the rule used to do"
    assert AttendanceShare(minutes=29, length=100).reaches(29)
    assert AttendanceShare(minutes=240, length=300).reaches(80)
    assert not AttendanceShare(minutes=239, length=300).reaches(80)
    assert AttendanceShare(minutes=0, length=60).reaches(0)


def test_shares_and_scores_short_of_the_rule_never_read_as_reaching_it():
    short = AttendanceShare(minutes=239, length=300)
    assert short.percent == Decimal("79.67") and short.shown_percent == "79"
    assert AttendanceShare(minutes=150, length=180).percent == Decimal("83.33")
    assert AttendanceShare(minutes=180, length=180).shown_percent == "100"
    # 79.996% rounds to 80.00 at two places; shown from the exact share it stays 79.
    almost = AttendanceShare(minutes=19_999, length=25_000)
    assert almost.percent == Decimal("80.00") and not almost.reaches(80)
    assert almost.shown_percent == "79"
    assert credits._percent_text(Decimal("79.5")) == "79"
    assert credits._percent_text(Decimal("80.00")) == "80"

"""Defensive parsing: what a hostile client sends becomes BadInput (a 4xx), never a crash."""

import pytest
from django.urls import resolve

from lms.parsing import MAX_ID, BadInput, parse_id, parse_json


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 1000 + "]" * 1000, "nests deeper"),
        ('{"a": "' + "[" * 1000 + '"}', None),  # brackets inside a string are text
        ('{"position": ' + "9" * 5000 + "}", "too long"),
        ('{"position": 1e400}', "too large"),
        ('{"position": NaN}', "not a number JSON allows"),
        ("{", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        ("x" * 70_000, "larger than"),
    ],
)
def test_hostile_json_is_refused_in_words(body, reason):
    if reason is None:
        assert parse_json(body) == {"a": "[" * 1000}
        return
    with pytest.raises(BadInput, match=reason):
        parse_json(body)


def test_ordinary_json_reads_as_usual():
    assert parse_json(b'{"ranges": [[0, 10.5]], "token": "t", "n": -3}') == {
        "ranges": [[0, 10.5]],
        "token": "t",
        "n": -3,
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("١٢٣", None),  # digits, but not ASCII
        ("9" * 25, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("1e3", None),
        ("", None),
    ],
)
def test_ids_from_query_strings(text, value):
    assert parse_id(text) == value


def test_an_id_too_large_for_the_database_is_no_url():
    match = resolve("/learning/trainings/123/status/")
    assert (match.view_name, match.kwargs) == ("learning:status", {"training_id": 123})
    # Too long for an id: no view of ours matches (Wagtail's page tree answers 404).
    assert resolve("/learning/trainings/" + "9" * 25 + "/status/").view_name != "learning:status"

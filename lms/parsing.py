"""What requests carry, parsed defensively in one place: JSON bodies and ids in URLs.

A hostile or broken client must get a clear 4xx, never a 500: JSON nested deep enough to
exhaust Python's recursion, numbers hundreds of digits long or beyond a float's range, and
ids larger than the database's integers all stop here. This module imports nothing of ours,
so every app may use it (``tests/test_architecture.py`` keeps it the lowest layer).
"""

import json

from django.urls import register_converter

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
MAX_NUMBER_DIGITS = 30
# The largest id PostgreSQL's bigint (and SQLite's integer) holds.
MAX_ID = 2**63 - 1


class BadInput(ValueError):
    """The request's content cannot be read; the message says why, for the client."""


def _depth(text: str) -> int:
    """How deep arrays and objects nest in ``text``, strings skipped: a linear scan that
    needs no recursion, so a bracket bomb costs one pass."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _number(text: str, kind):
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise BadInput("A number in the JSON is too long.")
    value = kind(text)
    if kind is float and value in (float("inf"), float("-inf")):
        raise BadInput("A number in the JSON is too large.")
    return value


def _no_constant(name: str):
    raise BadInput(f"{name} is not a number JSON allows.")


def parse_json(body: bytes | str, *, max_bytes: int = MAX_JSON_BYTES, max_depth=MAX_JSON_DEPTH):
    """The JSON value in ``body``, or ``BadInput``: at most ``max_bytes``, nested at most
    ``max_depth`` deep, numbers of at most 30 digits, no NaN or Infinity."""
    if len(body) > max_bytes:
        raise BadInput(f"The JSON is larger than {max_bytes} bytes.")
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as error:
        raise BadInput("The JSON is not UTF-8.") from error
    if _depth(text) > max_depth:
        raise BadInput(f"The JSON nests deeper than {max_depth} levels.")
    try:
        return json.loads(
            text,
            parse_int=lambda value: _number(value, int),
            parse_float=lambda value: _number(value, float),
            parse_constant=_no_constant,
        )
    except BadInput:
        raise
    except ValueError as error:
        raise BadInput("The body is not valid JSON.") from error


def parse_id(value) -> int | None:
    """A positive database id from text a client sent (query string, form), or None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """``<id:pk>`` in a URL: ASCII digits of an id the database can hold. A longer number
    does not match, so the URL answers 404 before any view or query runs."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

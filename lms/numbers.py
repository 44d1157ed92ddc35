"""Decimals written out without trailing zeros: 3.00 as "3", 0.30 as "0.3", 100 as "100".

``plain`` is for what machines read (credentials, JSON, CSV); ``localized`` for what people
read, with the active language's decimal separator ("3,5" in Spanish). This module imports
nothing of ours, so every app may use it (``tests/test_architecture.py`` keeps it lowest).
"""

from decimal import Decimal

from django.utils.formats import get_format


def plain(value) -> str:
    return f"{Decimal(value).normalize():f}"


def localized(value) -> str:
    return plain(value).replace(".", get_format("DECIMAL_SEPARATOR"))

"""Money: integer amounts in the currency's minor unit (cents for USD), never floats.

``format_money`` writes an amount the way the reader's language writes money ("$60.00" in
English, "60,00 US$" in Spanish) with Babel's CLDR data; ``to_minor``/``from_minor`` convert
what an editor types ("60", "60.5") to and from minor units with ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language, to_locale

DEFAULT_CURRENCY = "USD"


def minor_digits(currency: str) -> int:
    """How many decimal places the currency's minor unit has (2 for USD, 0 for JPY)."""
    return get_currency_precision(currency.upper())


def to_minor(value, currency: str = DEFAULT_CURRENCY) -> int:
    """``Decimal``/str major units → integer minor units; raises ``ValueError`` on junk."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    scaled = (amount * (10 ** minor_digits(currency))).quantize(Decimal(1), ROUND_HALF_UP)
    return int(scaled)


def from_minor(amount: int, currency: str = DEFAULT_CURRENCY) -> Decimal:
    digits = minor_digits(currency)
    return (Decimal(int(amount)) / (10**digits)).quantize(Decimal(1).scaleb(-digits))


def format_money(amount: int, currency: str = DEFAULT_CURRENCY, language: str | None = None) -> str:
    """The amount as a reader of ``language`` (default: the active one) writes money."""
    locale = to_locale(language or get_language() or "en")
    if locale == "en":
        locale = "en_US"
    return format_currency(from_minor(amount, currency), currency.upper(), locale=locale)

"""Money: integer amounts in the currency's minor unit (cents for USD), never floats.

``format_money`` writes an amount the way the reader's language writes money ("$60.00" in
English, "60,00 US$" in Spanish) with Babel's CLDR data; ``to_minor``/``from_minor`` convert
what an editor types ("60", "60.5") to and from minor units with ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy, to_locale

DEFAULT_CURRENCY = "USD"


def currency_of(organization) -> str:
    """The currency an organization (an association) charges in; USD when none is set."""
    return getattr(organization, "currency", None) or DEFAULT_CURRENCY


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


class MoneyFormField(forms.CharField):
    """An amount typed as people write it ("60", "60.00", "60,5"), cleaned to an integer of
    the currency's minor unit with ``lms.money.to_minor`` and shown back the same way.

    The form that holds it sets ``currency`` (the association's) before it is bound: the
    minor unit decides how many decimals an amount may have (none in yen).
    """

    default_error_messages = {
        "invalid": gettext_lazy("Enter an amount like 60 or 60.00."),
        "negative": gettext_lazy("An amount cannot be negative."),
        "decimals": gettext_lazy("This currency has at most %(digits)s decimal places."),
        "too_large": gettext_lazy("That amount is too large."),
    }
    LARGEST = 2_000_000_000  # what the integer column holds, with margin

    def __init__(self, *args, currency=None, empty_amount=None, **kwargs):
        self.currency = currency or DEFAULT_CURRENCY
        self.empty_amount = empty_amount
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(from_minor(value, self.currency))
        return value

    def to_python(self, value):
        text = (str(value) if value is not None else "").strip().replace(" ", "")
        if text in self.empty_values:
            return self.empty_amount
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma, as Spanish writes it
        try:
            typed = Decimal(text)
            amount = to_minor(text, self.currency)
        except (InvalidOperation, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not typed.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if typed < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        digits = minor_digits(self.currency)
        if typed != typed.quantize(Decimal(1).scaleb(-digits)):
            raise ValidationError(
                self.error_messages["decimals"], code="decimals", params={"digits": digits}
            )
        if amount > self.LARGEST:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

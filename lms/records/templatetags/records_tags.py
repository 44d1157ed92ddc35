from decimal import Decimal

from django import template
from django.utils.translation import ngettext

from lms.numbers import localized
from lms.records.facts import describe_changes
from lms.records.models import CosignStatus, CreditUnit

register = template.Library()


@register.filter
def hours(value) -> str:
    """Clock hours without trailing zeros: 3.50 -> 3.5, 2.00 -> 2, 0 -> 0, with the active
    language's decimal separator (3,5 in Spanish)."""
    if value in (None, ""):
        return ""
    return localized(Decimal(value).quantize(Decimal("0.01")))


@register.filter
def credit_amount(amount, unit: str) -> str:
    """An amount of credit in its unit as a sentence reads it: "3 contact hours",
    "0,3 CEU" in Spanish."""
    if amount in (None, ""):
        return ""
    count = 1 if Decimal(amount) == 1 else 2
    if unit == CreditUnit.CEUS:
        text = ngettext("%(amount)s CEU", "%(amount)s CEUs", count)
    else:
        text = ngettext("%(amount)s contact hour", "%(amount)s contact hours", count)
    return text % {"amount": hours(amount)}


@register.filter
def area_hours(area_totals, code: str):
    for area, total in area_totals:
        if area.code == code:
            return total
    return Decimal(0)


@register.filter
def cosign_label(status: str) -> str:
    try:
        return str(CosignStatus(status).label)
    except ValueError:
        return ""


@register.filter
def amendment_lines(amendment) -> list[str]:
    return describe_changes(amendment.changes)

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from lms.records.facts import describe_changes
from lms.records.models import CosignStatus

register = template.Library()


@register.filter
def hours(value) -> str:
    """Clock hours without trailing zeros: 3.50 -> 3.5, 2.00 -> 2, 0 -> 0, with the active
    language's decimal separator (3,5 in Spanish)."""
    if value in (None, ""):
        return ""
    number = Decimal(value).quantize(Decimal("0.01"))
    text = f"{number.normalize():f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


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

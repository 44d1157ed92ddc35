from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from lms.records.models import SessionFormat, VerificationTier

from ..rules.rule_sets import CHECKLIST_LABELS
from ..rules.words import format_hours

register = template.Library()


@register.filter
def tier_label(value: str) -> str:
    try:
        return str(VerificationTier(value).label)
    except ValueError:
        return value


@register.filter
def session_format_label(value: str) -> str:
    """An RSC session's format by its label ("Individual", "Group"), in the active language."""
    try:
        return str(SessionFormat(value).label)
    except ValueError:
        return value


@register.filter
def plain_number(value) -> str:
    """A number for HTML attributes (``<progress value>``): never localized or grouped."""
    if value in (None, ""):
        return "0"
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


@register.filter
def checklist_label(value: str) -> str:
    return _(CHECKLIST_LABELS.get(value, value))


@register.filter
def result_status(result) -> str:
    """A renewal tracker line: "Met: 16 of 15 hours" or "3 hours to go: 12 of 15 hours"."""
    if result is None:
        return _("Not required")
    achieved, required = format_hours(result.achieved), format_hours(result.required)
    if result.met:
        return _("Met: %(achieved)s of %(required)s hours") % {
            "achieved": achieved,
            "required": required,
        }
    return _("%(gap)s hours to go: %(achieved)s of %(required)s hours") % {
        "gap": format_hours(result.gap),
        "achieved": achieved,
        "required": required,
    }


@register.filter
def fills(training, area_names) -> list:
    return training.fills(area_names)


@register.filter
def get(mapping, key):
    return mapping.get(key, key)

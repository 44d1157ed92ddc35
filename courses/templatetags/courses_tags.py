"""Template filters of Attune's pages: hours as people write them. The site's brand and
title come from the ``brand`` every template receives (lms.organizations.branding)."""

from django import template

from lms.numbers import plain

register = template.Library()


@register.filter
def hours(value):
    """2.50 -> 2.5, 3.00 -> 3."""
    if value is None:
        return ""
    return plain(value)

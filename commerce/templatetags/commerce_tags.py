"""The training page's Buy button: what this training costs the reader today."""

from django import template

from ..selectors import training_offer

register = template.Library()


@register.simple_tag(takes_context=True)
def training_purchase(context, page):
    """The reader's offer for ``page`` (``paid`` False for a free training)."""
    request = context.get("request")
    return training_offer(training=page.specific, person=getattr(request, "user", None))

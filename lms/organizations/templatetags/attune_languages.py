"""The header's language switcher and a public page's other language versions (hreflang)."""

from django import template
from django.utils import translation

from ..languages import page_versions, site_languages

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context) -> dict:
    """The languages the site offers other than the page's own (each in its own name), and
    the page to come back to (its path: a query string is the visitor's input and is not
    echoed into every page). Nothing to choose on a site that offers one language."""
    request = context.get("request")
    if request is None:
        return {"others": []}
    current = translation.get_language()
    return {
        "others": [
            (code, name) for code, name in site_languages(request).choices if code != current
        ],
        "next": request.path,
    }


@register.simple_tag(takes_context=True)
def page_alternates(context) -> list[tuple[str, str]]:
    """(language, full URL) of each live version of the page the site offers, itself
    included, for ``<link rel="alternate" hreflang>``: none when it has no other."""
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or not getattr(page, "translation_key", None):
        return []
    alternates = page_versions(request, page)
    return alternates if len(alternates) > 1 else []

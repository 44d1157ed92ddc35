"""``brand`` in every template: the association whose site serves the page, or Attune.
Lazy, so a template that never shows it (Wagtail's admin) costs nothing."""

from django.utils.functional import SimpleLazyObject

from .branding import brand_for_request


def brand(request):
    return {"brand": SimpleLazyObject(lambda: brand_for_request(request))}

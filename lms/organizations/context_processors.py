"""``brand`` in every template: the association whose site serves the page, or Attune."""

from .branding import brand_for_request


def brand(request):
    return {"brand": brand_for_request(request)}

"""A bundle's order line, at the buyer's price (kept apart from ``services``: the checkout's
``place_order`` calls ``services.reserve_coupon``, and this module builds its ``LineSpec``)."""

from commerce.models import LineKind
from commerce.services.orders import LineSpec

from .models import Bundle


def bundle_lines(*, bundle: Bundle, member: bool) -> list[LineSpec]:
    """The order's one BUNDLE line for ``bundle`` at a member's or a non-member's price."""
    return [LineSpec(LineKind.BUNDLE, bundle.pk, bundle.title, bundle.price_for(member=member))]

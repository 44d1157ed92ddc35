"""The permission grid's rows for payments' prices URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF, SIGNED_IN
from .snippets import snippet

EXPECTED = {
    # An association's bundles and one bundle's page are public; buying (a POST placing an
    # order) needs an account.
    "commerce:bundles": ANYONE,
    "commerce:bundle": ANYONE,
    "commerce:bundle_buy": SIGNED_IN,
}


# Coupons and bundles: the association's administrators (Action.MANAGE_PAYMENTS); anyone in
# the admin may open a chooser, which lists only what they may see.
EXPECTED.update(snippet("commerce_offers.coupon", ADMINS, chooser=ASSOCIATION_STAFF))
EXPECTED.update(snippet("commerce_offers.bundle", ADMINS, chooser=ASSOCIATION_STAFF))

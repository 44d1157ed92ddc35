"""The permission grid's rows for payments' checkout URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, NOBODY, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401

EXPECTED = {
    # Anyone signed in may buy a paid training (a POST; the grid's GET gets a 405).
    "commerce:buy_training": SIGNED_IN,
    # An order's pages are its buyer's alone (others get a 404).
    "commerce:order": OWNER,
    "commerce:pay": OWNER,
    "commerce:coupon": OWNER,
    # Stripe's signed webhook: the signature is the credential, nobody in the grid has it.
    "commerce:stripe_webhook": NOBODY,
    # The association's payment screens in the admin: its Stripe account (keys, on/off, the
    # connection check, a POST) and its orders (list, one order, the refund, a POST).
    "stripe_admin:index": ADMINS,
    "stripe_admin:edit": ADMINS,
    "stripe_admin:check": ADMINS,
    "orders_admin:index": ADMINS,
    "orders_admin:order": ADMINS,
    "orders_admin:refund": ADMINS,
}

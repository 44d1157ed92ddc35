"""The permission grid's rows for payments' memberships URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401

EXPECTED = {
    # An association's plans are public; joining (a POST placing an order) needs an account.
    "commerce:membership_plans": ANYONE,
    "commerce:membership_join": SIGNED_IN,
    # One's own memberships and receipts (the content check keeps other people's out).
    "commerce:my_memberships": SIGNED_IN,
    # Paying an application's fee: its applicant only.
    "commerce:application_fee_pay": OWNER,
    # Fees due (drafts included) and waiving one: the association's administrators.
    "applications_admin:fees": ADMINS,
    "applications_admin:fee": ADMINS,
}

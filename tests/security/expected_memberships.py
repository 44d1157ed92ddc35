"""The permission grid's rows for payments' memberships URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401
from .snippets import snippet

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
# The association's members in Wagtail's admin (Action.MANAGE_PAYMENTS): the list, its CSV,
# recording dues paid by check, and one membership's page with its cancel form.
EXPECTED.update(
    {
        "memberships_admin:members": ADMINS,
        "memberships_admin:members_csv": ADMINS,
        "memberships_admin:record": ADMINS,
        "memberships_admin:cancel": ADMINS,
    }
)
# Membership plans: the association's administrators; anyone in the admin may open a
# chooser, which lists only what they may see.
EXPECTED.update(snippet("commerce_memberships.membershipplan", ADMINS, chooser=ASSOCIATION_STAFF))

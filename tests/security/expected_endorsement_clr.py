"""The permission grid's rows for the endorsement credential and the CLR transcript
(merged into expected.EXPECTED)."""

from .roles import ADMINS, LINK, OWNER, SIGNED_IN

EXPECTED: dict = {
    # The holder's own endorsement credential (POST issues one granted before credentials).
    "endorsement:credential": OWNER,
    # The credential in force, public like the verification page that links it.
    "endorsement:verify_credential": LINK,
    # A learner's own records as one CLR: any signed-in person, for their own records only.
    "records:clr": SIGNED_IN,
    # Revoking an endorsement: the association's administrators who manage applications.
    "applications_admin:revoke_endorsement": ADMINS,
}

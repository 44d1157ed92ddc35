"""The permission grid's rows for earning and claiming credit (merged into expected.EXPECTED)."""

from .roles import OWNER, SIGNED_IN

EXPECTED: dict = {
    # One's own professional licenses (POST only; the learner names a profession, never an
    # id: only their own license is ever changed).
    "accounts:licenses": SIGNED_IN,
    # Claiming a credit on one's own record, and withdrawing the claim (POST only; a
    # credit on someone else's record is a 404).
    "records:credit_claim": OWNER,
    "records:credit_withdraw": OWNER,
}

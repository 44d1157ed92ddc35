"""The permission grid's rows for the credentials part's URLs (merged into expected.EXPECTED)."""

from .roles import ANYONE

EXPECTED: dict = {
    # An issuer's credential status list (a signed BitstringStatusListCredential): public by
    # design, so a verifier learns of a revocation without signing in; it holds only bits.
    "records:status_list": ANYONE,
}

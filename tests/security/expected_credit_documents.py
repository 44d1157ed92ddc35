"""The permission grid's rows for continuing-education credit documents (merged into
expected.EXPECTED): a claimed credit's certificate and public verification, the learner's
credit transcript, the association's credit roster."""

from .roles import LINK, RECORD_VIEWERS, SIGNED_IN

EXPECTED: dict = {
    # A claimed credit's certificate: its learner, and whoever may view what the issuing
    # association issued (the same people as the record's certificate).
    "records:credit_certificate": ("owner", *RECORD_VIEWERS),
    # Its verification page: whoever holds the credit's verification number.
    "records:verify_credit": LINK,
    # One's own credit transcript (a kind never claimed is a form error).
    "records:credit_transcript": SIGNED_IN,
    # The roster of one kind's claims: its association's people who may view issued records.
    "records_admin:credit_roster": RECORD_VIEWERS,
}

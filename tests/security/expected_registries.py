"""The permission grid's rows for registry roster URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, EDITORS, RECORD_VIEWERS, SIGNED_IN

EXPECTED: dict = {
    # One's own registry IDs (interop.registries.views): anyone signed in, for themselves.
    "interop_registries:mine": SIGNED_IN,
    # The roster export and its download (POST): those who see the association's issued
    # records; the trainings offered are their associations' own (another's is a 404).
    "registries_admin:export": RECORD_VIEWERS,
    "registries_admin:download": RECORD_VIEWERS,
    # A training's event ID in a registry (POST): those who edit the association's trainings.
    "registries_admin:event_id": EDITORS,
    # The registries an association reports to and its sponsor IDs: its administrators.
    "registries_admin:settings": ADMINS,
}

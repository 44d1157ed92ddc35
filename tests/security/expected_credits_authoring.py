"""The permission grid's rows for credit authoring (merged into expected.EXPECTED): an
association's credit kinds, kept by its administrators."""

from .roles import ADMINS, ASSOCIATION_STAFF
from .snippets import snippet

EXPECTED: dict = {}

# The kinds a board approved the association to offer: its admins list, add, edit and delete
# (a kind in use is refused with the reason). The chooser lists only what the user may see.
EXPECTED.update(snippet("records.creditkind", ADMINS, chooser=ASSOCIATION_STAFF))

"""The permission grid's rows for registry roster URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF, LINK, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401
from .snippets import snippet  # noqa: F401

EXPECTED: dict = {}

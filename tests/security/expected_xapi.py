"""The permission grid's rows for the xapi integration's URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF, LINK, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401
from .snippets import snippet  # noqa: F401

EXPECTED: dict = {}

# An association's learning record store in Wagtail's admin (Action.MANAGE_INTEGRATIONS):
# the list of the stores the user manages, and one association's settings, connection test
# and statement counts (the tenant's own only).
EXPECTED.update(
    {
        "integrations_admin:xapi_stores": ADMINS,
        "integrations_admin:xapi_store": ADMINS,
    }
)

"""The permission grid's rows for the lti integration's URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF, LINK, OWNER, SIGNED_IN, SUPERUSER  # noqa: F401
from .snippets import snippet  # noqa: F401

EXPECTED: dict = {}

# --- lti-core ---
EXPECTED.update(
    {
        # The platform's side of a launch: public by nature (the signed launch is the
        # credential); without a valid launch each answers the error page (400/403).
        "interop_lti:login": ANYONE,
        "interop_lti:login_for": ANYONE,
        "interop_lti:launch": ANYONE,
        # Attune's public keys (JWKS).
        "interop_lti:jwks": ANYONE,
        # A framed launch's one-time hand-off to a new window: the signed link is the
        # credential (two minutes, one use).
        "interop_lti:handoff": LINK,
        # A one-time dynamic registration link, opened by the platform.
        "interop_lti:register": LINK,
        # A library module a launch opened: only for the learner who launched it.
        "interop_lti:module": OWNER,
        # The learning-platform screens in Wagtail's admin: the association's administrators.
        "lti_admin:platforms": ADMINS,
        "lti_admin:platform": ADMINS,
        "lti_admin:set_active": ADMINS,
    }
)
# --- end of lti-core ---

# --- lti-services ---
from .roles import NOBODY  # noqa: E402

EXPECTED.update(
    {
        # Deep Linking's picker and a platform course's roster: only within an instructor's
        # launch held by this browser session (no Attune role opens them; 403 without one).
        "interop_lti:deep_linking": NOBODY,
        "interop_lti:course_roster": NOBODY,
        # A connection's courses and their rosters in Wagtail's admin (pull = POST).
        "lti_admin:courses": ADMINS,
    }
)
# --- end of lti-services ---

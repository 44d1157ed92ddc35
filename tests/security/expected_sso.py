"""The permission grid's rows for the sso integration's URLs (merged into expected.EXPECTED)."""

from .roles import ADMINS, ANYONE, ASSOCIATION_STAFF
from .snippets import snippet

EXPECTED: dict = {
    # An association site's SAML service provider: its metadata, starting a sign-in, the
    # assertion consumer (posted by the membership system's page, signed answers only) and
    # linking an existing account by its password. Public by nature; each answers 404 where
    # the site has no switched-on connection (the grid's default host).
    "interop_sso:saml_metadata": ANYONE,
    "interop_sso:saml_login": ANYONE,
    "interop_sso:saml_acs": ANYONE,
    "interop_sso:link": ANYONE,
    # The same through OpenID Connect: start (to the AMS's authorize endpoint) and callback.
    "interop_sso:oidc_login": ANYONE,
    "interop_sso:oidc_callback": ANYONE,
}
# The connection, in Wagtail's admin: the association's administrators (manage integrations).
EXPECTED.update(snippet("interop_sso.identityprovider", ADMINS, chooser=ASSOCIATION_STAFF))

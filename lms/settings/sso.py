"""Settings of interop.sso (read from the environment)."""

from .environment import env, env_bool, env_list  # noqa: F401

# Associations' membership systems as sign-in (interop.sso): pysaml2 signs and verifies with
# the xmlsec1 program (``make system-deps``); clocks may differ by this many seconds.
ATTUNE_SAML_XMLSEC_BINARY = env("ATTUNE_SAML_XMLSEC_BINARY", "/usr/bin/xmlsec1")
ATTUNE_SAML_CLOCK_SKEW = int(env("ATTUNE_SAML_CLOCK_SKEW", "60"))
# OpenID Connect client secrets of membership systems are stored encrypted under this key
# (SECRET_KEY when empty); the fallbacks are the keys it replaced, for rotation.
ATTUNE_SSO_SECRETS_KEY = env("ATTUNE_SSO_SECRETS_KEY", "")
ATTUNE_SSO_SECRETS_KEY_FALLBACKS = env_list("ATTUNE_SSO_SECRETS_KEY_FALLBACKS", "")

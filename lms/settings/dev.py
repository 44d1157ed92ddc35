"""The embedded default: no services needed. SQLite, local media, filesystem broker."""

from .base import *  # noqa: F403
from .base import IDP_OIDC_PRIVATE_KEY, VAR_DIR, development_oidc_key, env

VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
IDP_OIDC_PRIVATE_KEY = IDP_OIDC_PRIVATE_KEY or development_oidc_key(VAR_DIR / "oidc-dev-key.pem")

"""Production: every secret and service comes from the environment, and nothing is guessed."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ATTUNE_SSO, DATABASES, IDP_OIDC_PRIVATE_KEY, SECRET_KEY, STORAGES, env, env_bool

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
if not env("DATABASE_URL") or DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL in production (SQLite is for the embedded demo)."
    )

if not env("CACHE_URL", "").startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "CACHE_URL must point at Redis in production (e.g. redis://cache:6379/2): every web "
        "process must share rate limits, brands, the rendered catalog and cached sessions."
    )

if ATTUNE_SSO and (not IDP_OIDC_PRIVATE_KEY or not env("ATTUNE_PLATFORM_URL")):
    raise ImproperlyConfigured(
        "Single sign-on needs ATTUNE_PLATFORM_URL (the platform's https:// address) and the "
        "provider's RSA signing key in ATTUNE_OIDC_PRIVATE_KEY or ATTUNE_OIDC_PRIVATE_KEY_FILE "
        "(PEM), or ATTUNE_SSO=0."
    )

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"

# Attune runs behind a TLS-terminating proxy (load balancer, nginx). The proxy must set
# X-Forwarded-Proto to "https" or "http" itself and strip any value a client sent; otherwise
# a client could claim HTTPS over plain HTTP. Without such a proxy, remove this line.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (CONTENT_SECURITY_POLICY in base.py) on every response.
ATTUNE_CSP = True

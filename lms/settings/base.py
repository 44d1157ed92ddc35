"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor). The
defaults here describe the embedded setup: SQLite, local media under ``var/`` and Celery
on kombu's filesystem transport, so a fresh clone runs with no services at all.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .environment import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ATTUNE_VAR_DIR", BASE_DIR / "var"))


def database_from_env(default_url):
    """Return the ``default`` database settings from ``DATABASE_URL``."""
    url = env("DATABASE_URL", default_url)
    if not url:
        raise ImproperlyConfigured("DATABASE_URL is not set.")
    config = dj_database_url.parse(url, conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web server and the Celery worker write to the same file. Waiting for the lock
        # (timeout), taking it when a transaction starts (IMMEDIATE, so two writers never
        # deadlock upgrading a read lock) and WAL (readers never block the writer) make
        # SQLite behave under that load.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config


SECRET_KEY = env("SECRET_KEY", "")
# The keys SECRET_KEY replaced, comma-separated: sessions and signed links made under them stay
# valid while they are listed (docs/operations.md, "Keys").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms.operations",
    "lms.accounts",
    "lms.audit",
    "lms.organizations",
    "lms.competencies",
    "lms.records",
    "lms.endorsement",
    "lms.integrations",
    "courses",
    "centers",
    "commerce",
    "commerce.offers",
    "commerce.memberships",
    "commerce.invoicing",
    "interop.lti",
    "interop.sso",
    "interop.registries",
    "lti_tool",
    "djangosaml2",
    "media_pipeline",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",  # the API docs (Swagger UI) from its own static files, not a CDN
    "django_filters",
    "polymorphic",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.idp.oidc",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.accounts.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In Django's LocaleMiddleware's place, after authentication: the URL's language, the
    # profile's, the browser's, the site's (lms/organizations/languages.py).
    "lms.organizations.middleware.LanguageMiddleware",
    "lms.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.sso.middleware.SingleSignOnMiddleware",
    "lms.accounts.middleware.StaffSessionExpiryMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.organizations.context_processors.brand",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail is the login; there is no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupProfileForm"
# Brute force: after ATTUNE_LOGIN_FAILURES failed sign-ins for one e-mail address within
# ATTUNE_LOGIN_LOCKOUT_SECONDS, that address cannot sign in (not even with the right
# password) until the window has passed; one address is also limited to 10 failures a minute.
# The counts live in the cache, so production shares one (CACHE_URL) between processes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"10/m/ip,{int(env('ATTUNE_LOGIN_FAILURES', '5'))}"
        f"/{int(env('ATTUNE_LOGIN_LOCKOUT_SECONDS', '900'))}s/key"
    ),
}
# Optional second factor: an authenticator app (TOTP) with recovery codes, at /accounts/2fa/.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Attune"
# One account, signed in everywhere (lms/accounts/sso/): the platform is an OpenID Connect
# provider and every association site with a client registration is its client. Browsers and
# the sites' servers reach the platform at ATTUNE_PLATFORM_URL, which is also the issuer of
# its ID tokens. The tokens are signed with the RSA key in ATTUNE_OIDC_PRIVATE_KEY (PEM; in
# production from the environment or a secret store, never from the repository; `make run`
# generates one for development under var/). ATTUNE_SSO=0 turns single sign-on off: each
# site then signs people in on its own host.
ATTUNE_SSO = env_bool("ATTUNE_SSO", True)
ATTUNE_PLATFORM_URL = env("ATTUNE_PLATFORM_URL", "http://127.0.0.1:8000")


def oidc_private_key() -> str:
    key = env("ATTUNE_OIDC_PRIVATE_KEY", "")
    if not key and env("ATTUNE_OIDC_PRIVATE_KEY_FILE"):
        key = Path(env("ATTUNE_OIDC_PRIVATE_KEY_FILE")).read_text()
    return key


ACCOUNT_ADAPTER = "lms.accounts.sso.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lms.accounts.sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"provider_class": "lms.accounts.sso.provider.AttuneOIDCProvider"},
}
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
IDP_OIDC_ADAPTER = "lms.accounts.sso.adapters.ProviderAdapter"
IDP_OIDC_PRIVATE_KEY = oidc_private_key()
# The Wagtail admin signs people in through allauth (lockout and second factor included);
# lms/urls.py sends its own login page there too.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = WAGTAILADMIN_LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Staff (any role beyond plain center staff, see lms.accounts.middleware) are signed out after
# this long without a request; everyone else keeps Django's SESSION_COOKIE_AGE (two weeks).
ATTUNE_STAFF_SESSION_IDLE_SECONDS = int(env("ATTUNE_STAFF_SESSION_IDLE_SECONDS", str(2 * 3600)))
ATTUNE_STAFF_SESSION_ROLES = ["admin", "editor", "reviewer", "facilitator", "manager"]
ATTUNE_ROLES_BY_ORGANIZATION = "lms.organizations.selectors.roles_by_organization"

# One shared cache for every web process (production requires it): rate limits, sign-in
# failure counts, each host's brand, the rendered catalog and sessions (read from the cache,
# written through to the database, so a cache restart signs no one out). Without CACHE_URL,
# each process keeps its own memory cache, which is right for one process only.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL"),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "attune"),
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Attune <no-reply@attune.localhost>")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# The interface's languages, each named in its own language (the language switcher shows
# these names). Each association chooses which of them its site offers.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# The switcher's choice is remembered by the browser for a year (Django's default: the session).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# S3-compatible object storage (AWS, MinIO, moto's server) when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", "us-east-1")
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_S3_FILE_OVERWRITE = False
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}


# Content Security Policy (django-csp), sent when ATTUNE_CSP is on: always in production, and
# in development with ATTUNE_CSP=1. Scripts come only from our static files; the player's
# hls.js feeds the <video> through Media Source Extensions (blob: media, a blob: worker) and
# fetches segments, posters and captions from wherever recordings are stored: this site, or
# the bucket's origin (derived from the S3 settings, or listed in ATTUNE_CSP_STORAGE_ORIGINS,
# comma-separated, for a CDN in front of it). Styles allow inline attributes because the
# Wagtail admin and a few templates set widths and layout with them. The Wagtail admin also
# needs a handful of inline scripts: lms.accounts.middleware.ContentSecurityPolicyMiddleware
# allows those under /admin/ only.
def storage_origins() -> list[str]:
    listed = env_list("ATTUNE_CSP_STORAGE_ORIGINS")
    if listed or not AWS_STORAGE_BUCKET_NAME:
        return listed
    if AWS_S3_ENDPOINT_URL:
        parts = urlsplit(AWS_S3_ENDPOINT_URL)
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket, region = AWS_STORAGE_BUCKET_NAME, AWS_S3_REGION_NAME
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]


# Payments (commerce): each association's Stripe keys are set in the admin and stored
# encrypted under ATTUNE_PAYMENTS_KEY (SECRET_KEY when empty; keep it with the backups, rotate
# through ATTUNE_PAYMENTS_KEY_FALLBACKS). STRIPE_API_BASE and STRIPE_JS_URL point at Stripe;
# tests and local trials point them at localstripe (its Stripe.js stand-in is served at
# <base>/js.stripe.com/v3/). Unpaid orders expire after ATTUNE_ORDER_PENDING_MINUTES.
ATTUNE_PAYMENTS_KEY = env("ATTUNE_PAYMENTS_KEY", "")
ATTUNE_PAYMENTS_KEY_FALLBACKS = env_list("ATTUNE_PAYMENTS_KEY_FALLBACKS")
STRIPE_API_BASE = env("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_JS_URL = env("STRIPE_JS_URL", "https://js.stripe.com/v3/")
ATTUNE_ORDER_PENDING_MINUTES = int(env("ATTUNE_ORDER_PENDING_MINUTES", "60"))


_storage = storage_origins()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_storage],
        "media-src": ["'self'", "blob:", *_storage],
        "connect-src": ["'self'", *_storage],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
ATTUNE_CSP = env_bool("ATTUNE_CSP", False)
ATTUNE_CSP_ADMIN_PREFIX = "/admin/"
# The admin asks no third party about its users or its version.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Media pipeline. Recordings and their streams are private: they live in a storage of their
# own that no URL serves (never under MEDIA_ROOT, which dev serves publicly). The owner of a
# recording is named by model label, like AUTH_USER_MODEL, so media_pipeline imports nothing
# from lms.*. The preset and lease length are read from the environment so a test's worker
# process can use its own.
MEDIA_PIPELINE_OWNER_MODEL = "organizations.Organization"
MEDIA_PIPELINE_WORK_DIR = Path(env("MEDIA_PIPELINE_WORK_DIR", VAR_DIR / "media-work"))
# superfast keeps a 1080p ladder faster than real time on two cores; more cores can afford
# veryfast (better quality for the same bit rate).
MEDIA_PIPELINE_X264_PRESET = env("MEDIA_PIPELINE_X264_PRESET", "superfast")
# capped_crf: constant quality per rung, capped at the rung's nominal rate (stills cost
# little); fixed: the nominal rates as averages, as before (an operator's escape hatch).
MEDIA_PIPELINE_RATE_CONTROL = env("MEDIA_PIPELINE_RATE_CONTROL", "capped_crf")
MEDIA_PIPELINE_LEASE_SECONDS = int(env("MEDIA_PIPELINE_LEASE_SECONDS", "60"))
MEDIA_PIPELINE_STUCK_AFTER_SECONDS = int(env("MEDIA_PIPELINE_STUCK_AFTER_SECONDS", "900"))
STORAGES["media_pipeline"] = {
    "BACKEND": "media_pipeline.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": VAR_DIR / "private-media"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["media_pipeline"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Outputs go to fresh per-attempt prefixes, so no existence check per segment.
        "OPTIONS": {"location": "private-media", "file_overwrite": True},
    }

# Who may manage recordings in the admin and who may watch them: media_pipeline asks the
# callables named here (it imports nothing from Attune's apps). Uploads go to Django in parts
# of MEDIA_PIPELINE_UPLOAD_PART_BYTES (embedded) or straight to the bucket (S3, 16-64 MiB).
MEDIA_PIPELINE_ADMIN_VIEWSET_BASE = "lms.organizations.admin.OrganizationScopedViewSet"
MEDIA_PIPELINE_PERMISSION_POLICY = "courses.recording_access.RecordingPermissionPolicy"
MEDIA_PIPELINE_PLAYBACK_AUTHORIZER = "courses.recording_access.may_watch"
MEDIA_PIPELINE_VIEWER_PREFERENCES = "lms.accounts.selectors.caption_preferences"
MEDIA_PIPELINE_UPLOAD_PART_BYTES = int(env("MEDIA_PIPELINE_UPLOAD_PART_BYTES", str(8 * 1024**2)))
MEDIA_PIPELINE_MAX_UPLOAD_BYTES = int(env("MEDIA_PIPELINE_MAX_UPLOAD_BYTES", str(10 * 1024**3)))
# Automatic captions: the worker's speech engine, after the ladder, on the transcode queue.
# An empty engine turns automatic captions off. The options name the model files an engine
# needs (JSON, e.g. {"model": "/srv/models/ggml-base.en.bin"}); the default pocketsphinx
# uses the English model its wheel ships. A missing engine or model file stops
# `manage.py check` and the worker at start-up.
MEDIA_PIPELINE_CAPTION_ENGINE = env("MEDIA_PIPELINE_CAPTION_ENGINE", "pocketsphinx")
MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS = json.loads(
    env("MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS", "") or "{}"
)
MEDIA_PIPELINE_CAPTION_LANGUAGE = env("MEDIA_PIPELINE_CAPTION_LANGUAGE", "en")
# Front-end packages installed from npm by `make run`/`make test` (package.json), served as
# our own static files (no CDN: the Content Security Policy allows none): the player's
# hls.js and Chart.js for the portfolio's and dashboard's charts. (The API docs' Swagger UI
# comes with django-ninja, the "ninja" app.)
STATICFILES_DIRS += [
    ("vendor/hls.js", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000


# Celery: one app, two queues. Transcoding runs on its own queue so that a long encode
# never delays e-mail, record issuing or webhooks.
def celery_embedded(folder: Path) -> tuple[dict, str]:
    """Transport options and result backend for kombu's filesystem broker under ``folder``."""
    options = {
        # One folder for in and out: producers and the worker share the same queue files.
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        # Exchange bindings (fanout, remote control); kombu's default is ./control.
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    return options, f"file://{folder / 'results'}"


CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
_embedded_options, _embedded_results = celery_embedded(VAR_DIR / "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    _embedded_options if CELERY_BROKER_URL.startswith("filesystem://") else {}
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem channel, writing each message atomically (see lms/broker.py).
    CELERY_BROKER_TRANSPORT = "lms.broker:Transport"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Tasks are acknowledged late: a message whose worker died is handed out again after the
    # visibility timeout (sweeps for such messages every tenth of it, at most every 10 s).
    _visibility = int(env("CELERY_BROKER_VISIBILITY_TIMEOUT", "3600"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility,
        "unacked_restore_interval": max(1, min(10, _visibility // 10)),
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", _embedded_results)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ("default", "transcode")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, sent by one `celery beat` process of its own (Procfile, Procfile.dev): never
# embedded in a worker (`-B`), whose beat child outlived a killed worker. The scheduler takes
# an exclusive lock on ATTUNE_BEAT_LOCK_FILE and, when ATTUNE_BEAT_LOCK_URL names Redis (the
# cache's or the broker's by default), a Redis lock renewed on every tick that expires
# ATTUNE_BEAT_LOCK_SECONDS after the last one: a second beat, on any host, refuses to start.
CELERY_BEAT_SCHEDULER = "lms.operations.beat:SingleBeatScheduler"
ATTUNE_BEAT_LOCK_FILE = Path(env("ATTUNE_BEAT_LOCK_FILE", VAR_DIR / "celerybeat.lock"))


def beat_lock_url() -> str:
    """ATTUNE_BEAT_LOCK_URL if set (empty: the file lock only), else the first Redis URL."""
    if env("ATTUNE_BEAT_LOCK_URL") is not None:
        return env("ATTUNE_BEAT_LOCK_URL")
    for url in (env("CACHE_URL", ""), CELERY_BROKER_URL):
        if url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return ""


ATTUNE_BEAT_LOCK_URL = beat_lock_url()
ATTUNE_BEAT_LOCK_NAME = env(
    "ATTUNE_BEAT_LOCK_NAME", f"{env('CACHE_KEY_PREFIX', 'attune')}:beat-lock"
)
ATTUNE_BEAT_LOCK_SECONDS = float(env("ATTUNE_BEAT_LOCK_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    # Webhook deliveries whose retry is due, should a worker have lost the countdown message.
    "integrations-retry-due-webhooks": {
        "task": "lms.integrations.tasks.retry_due_webhooks",
        "schedule": 60.0,
    },
    # LTI scores owed to a platform's grade book whose retry is due (interop.lti).
    "lti-retry-due-grades": {"task": "interop.lti.tasks.retry_due_grades", "schedule": 60.0},
    # Renewal reminder e-mails (each sent once per endorsement, cycle and offset).
    "endorsement-renewal-reminders": {
        "task": "lms.endorsement.tasks.send_renewal_reminders",
        "schedule": 6 * 3600.0,
    },
    # Association memberships: lapse those past their end, then remind those ending soon
    # (30 and 7 days ahead, each once per end date).
    "memberships-lapse": {
        "task": "commerce.memberships.tasks.lapse_memberships",
        "schedule": 24 * 3600.0,
    },
    "memberships-reminders": {
        "task": "commerce.memberships.tasks.send_membership_reminders",
        "schedule": 6 * 3600.0,
    },
    # Orders left unpaid past ATTUNE_ORDER_PENDING_MINUTES: cancelled, coupons given back.
    "commerce-expire-orders": {
        "task": "commerce.tasks.expire_abandoned_orders",
        "schedule": 15 * 60.0,
    },
    # Recordings whose worker vanished (lease ran out) or whose message was lost: queued again.
    "media-pipeline-requeue-stuck": {
        "task": "media_pipeline.tasks.requeue_stuck_recordings",
        "schedule": float(env("MEDIA_PIPELINE_SWEEP_SECONDS", "60")),
        "options": {"queue": "default"},
    },
}

WAGTAIL_SITE_NAME = "Attune"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
# Editors translate pages (and snippets) with wagtail-localize 1.14.5, which supports Wagtail 8
# and Django 5.2. Each language has its own page tree; pages not translated yet appear in it as
# aliases of the source (the Spanish interface around the English content).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A new translation starts as a draft: the catalog says a training is offered in Spanish once
# an editor publishes the Spanish version, not when the translating begins.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Competency framework shipped with the code; `load_framework` reads it.
ATTUNE_FRAMEWORK_FILE = BASE_DIR / "lms" / "competencies" / "data" / "framework.json"

# Invitation links to join a center stay valid this many days.
ATTUNE_CENTER_INVITATION_DAYS = int(env("ATTUNE_CENTER_INVITATION_DAYS", "30"))

# Associations' own systems (lms.integrations): API token digests and webhook signing secrets
# are keyed with ATTUNE_INTEGRATION_KEY (SECRET_KEY when empty; set it and keep it, since
# changing it invalidates tokens and secrets). Webhook URLs must be HTTPS; plain HTTP goes to
# loopback addresses only, with DEBUG or ATTUNE_WEBHOOK_ALLOW_LOOPBACK on. Failed deliveries
# are retried with exponential backoff from ATTUNE_WEBHOOK_RETRY_BASE_SECONDS for
# ATTUNE_WEBHOOK_RETRY_HOURS.
ATTUNE_INTEGRATION_KEY = env("ATTUNE_INTEGRATION_KEY", "")
# Training credentials (lms/records/credentials.py): each issuer's Ed25519 signing key is stored
# encrypted under ATTUNE_CREDENTIAL_KEY (SECRET_KEY when empty). Set it, keep it with the
# backups: a database restored without it can verify old credentials but sign no new ones.
# To rotate, put the new key here and the old one in ATTUNE_CREDENTIAL_KEY_FALLBACKS
# (comma-separated), then run `manage.py rotate_credential_key` (docs/operations.md).
ATTUNE_CREDENTIAL_KEY = env("ATTUNE_CREDENTIAL_KEY", "")
ATTUNE_CREDENTIAL_KEY_FALLBACKS = env_list("ATTUNE_CREDENTIAL_KEY_FALLBACKS")
ATTUNE_WEBHOOK_ALLOW_LOOPBACK = env_bool("ATTUNE_WEBHOOK_ALLOW_LOOPBACK", False)
ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = float(env("ATTUNE_WEBHOOK_RETRY_BASE_SECONDS", "30"))
ATTUNE_WEBHOOK_RETRY_HOURS = float(env("ATTUNE_WEBHOOK_RETRY_HOURS", "26"))
# The broker holds at most this many webhook messages per endpoint and in all; the rest wait
# in the database (each delivery leased while queued). An endpoint failing for
# ATTUNE_WEBHOOK_DISABLE_AFTER_HOURS is disabled and its association's admins e-mailed.
ATTUNE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = int(
    env("ATTUNE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", "4")
)
ATTUNE_WEBHOOK_MAX_QUEUED = int(env("ATTUNE_WEBHOOK_MAX_QUEUED", "50"))
ATTUNE_WEBHOOK_QUEUE_LEASE_SECONDS = float(env("ATTUNE_WEBHOOK_QUEUE_LEASE_SECONDS", "600"))
ATTUNE_WEBHOOK_COUNTDOWN_SECONDS = float(env("ATTUNE_WEBHOOK_COUNTDOWN_SECONDS", "60"))
ATTUNE_WEBHOOK_DISABLE_AFTER_HOURS = float(env("ATTUNE_WEBHOOK_DISABLE_AFTER_HOURS", "72"))
# Applications: how long a rater's link works, and when holders are reminded to renew.
ATTUNE_REFERENCE_LINK_DAYS = int(env("ATTUNE_REFERENCE_LINK_DAYS", "21"))
ATTUNE_RENEWAL_REMINDER_DAYS = [int(d) for d in env_list("ATTUNE_RENEWAL_REMINDER_DAYS", "60,14")]
# Learning (courses/conf.py reads these): a heartbeat is credited at most ATTUNE_WATCH_MAX_RATE
# times the wall-clock time since the learner's previous beat; a recording counts as watched
# at ATTUNE_WATCH_COVERAGE_PERCENT and a live event as attended at ATTUNE_ATTENDANCE_PERCENT
# unless the training sets its own share; each user may send ATTUNE_HEARTBEAT_LIMIT beats per
# ATTUNE_HEARTBEAT_WINDOW_SECONDS (all tabs together; the player sends one every ~10 s).
ATTUNE_WATCH_MAX_RATE = float(env("ATTUNE_WATCH_MAX_RATE", "2"))
ATTUNE_WATCH_COVERAGE_PERCENT = int(env("ATTUNE_WATCH_COVERAGE_PERCENT", "95"))
ATTUNE_ATTENDANCE_PERCENT = int(env("ATTUNE_ATTENDANCE_PERCENT", "80"))
ATTUNE_HEARTBEAT_LIMIT = int(env("ATTUNE_HEARTBEAT_LIMIT", "30"))
ATTUNE_HEARTBEAT_WINDOW_SECONDS = int(env("ATTUNE_HEARTBEAT_WINDOW_SECONDS", "60"))


def development_oidc_key(path: Path) -> str:
    """The provider's signing key for development and tests: made once under ``var/`` (never
    in the repository); production takes ATTUNE_OIDC_PRIVATE_KEY from the environment."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_bytes(pem)
    return path.read_text()


# Each integration keeps its settings in its own file (lms/settings/<part>.py).
from .lti import *  # noqa: E402, F403
from .registries import *  # noqa: E402, F403
from .sso import *  # noqa: E402, F403
from .xapi import *  # noqa: E402, F403

"""Settings for the test suite.

SQLite with no services by default; `.ci/run` points ``DATABASE_URL`` at PostgreSQL and
``CELERY_BROKER_URL`` at Redis. The test database is a file (not in-memory) so that a real
Celery worker process started by a test sees the same rows.
"""

import os
import re
from pathlib import Path


def _scope_to_xdist_worker() -> None:
    """Under ``pytest -n N`` each pytest worker (gw0, gw1, …) gets its own var folder (test
    database file, media, broker folder) and its own pair of Redis databases for the broker
    and results, so the Celery workers that tests start never take each other's messages.
    Done once, through the environment, so that the processes a test starts inherit it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("ATTUNE_TEST_SCOPED_FOR") == worker:
        return
    os.environ["ATTUNE_TEST_SCOPED_FOR"] = worker
    number = int(re.sub(r"\D", "", worker) or 0)
    root = Path(os.environ.get("ATTUNE_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    os.environ["ATTUNE_VAR_DIR"] = str(root / worker)
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        url = os.environ.get(name, "")
        match = re.fullmatch(r"(rediss?://[^/]+)/(\d+)", url)
        if match:
            os.environ[name] = f"{match[1]}/{int(match[2]) + 2 * number}"


_scope_to_xdist_worker()

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    CELERY_BROKER_URL,
    DATABASES,
    STORAGES,
    VAR_DIR,
    celery_embedded,
    development_oidc_key,
)

VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

MEDIA_ROOT = VAR_DIR / "test-media"
if "location" in STORAGES["media_pipeline"].get("OPTIONS", {}):
    STORAGES["media_pipeline"]["OPTIONS"]["location"] = VAR_DIR / "test-private-media"
MEDIA_PIPELINE_WORK_DIR = VAR_DIR / "test-media-work"
# Automatic captions are off in the suite unless a test turns them on (a test's worker reads
# the environment): most tests' recordings carry a tone, not speech.
MEDIA_PIPELINE_CAPTION_ENGINE = os.environ.get("MEDIA_PIPELINE_CAPTION_ENGINE", "")
WAGTAILADMIN_BASE_URL = "http://testserver"
# The test client's host is the platform; browser tests point this at their live server.
ATTUNE_PLATFORM_URL = "http://testserver"
IDP_OIDC_PRIVATE_KEY = development_oidc_key(VAR_DIR / "test-oidc-key.pem")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# A worker process started by a test connects to the test database, not the main one.
if os.environ.get("ATTUNE_TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["ATTUNE_TEST_DATABASE_NAME"]

# Tests never share a broker folder with a `make run` worker on the same checkout.
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS, _results = celery_embedded(VAR_DIR / "test-celery")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _results)

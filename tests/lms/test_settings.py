import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 60


def _signing_key() -> str:
    """A fresh RSA key for the OpenID Connect provider, as production reads it (PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


# Single sign-on: the platform's address and its signing key, both from the environment.
SSO_ENV = {
    "ATTUNE_PLATFORM_URL": "https://learn.attune.example",
    "ATTUNE_OIDC_PRIVATE_KEY": _signing_key(),
}


# The shared cache every web process uses.
CACHE_ENV = {"CACHE_URL": "redis://cache.internal:6379/2"}


def import_production_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "CACHE_URL"} and not k.startswith("ATTUNE_OIDC")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import lms.settings.production"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "postgres://db/attune"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short", "DATABASE_URL": "postgres://db/attune"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY}, "DATABASE_URL must point at PostgreSQL"),
        ({"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL must point"),
        (
            {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://db/attune"},
            "CACHE_URL must point at Redis",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://db/attune", **CACHE_ENV},
            "Single sign-on needs ATTUNE_PLATFORM_URL",
        ),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = import_production_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_real_settings():
    result = import_production_settings(
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://attune@db.internal/attune",
        **CACHE_ENV,
        **SSO_ENV,
    )
    assert result.returncode == 0, result.stderr


def test_embedded_default_needs_no_services():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
            " settings.STORAGES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"}
        }
        | {"DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.files.storage.FileSystemStorage",
    ]


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "".join(chr(33 + (i * 7) % 90) for i in range(64)),
    "DATABASE_URL": "postgres://attune@db.internal/attune",
    "ALLOWED_HOSTS": "learn.attune.example",
    "CSRF_TRUSTED_ORIGINS": "https://learn.attune.example",
    # Kept apart from SECRET_KEY (docs/operations.md): check --deploy warns otherwise.
    "ATTUNE_CREDENTIAL_KEY": "credential-" + "".join(chr(33 + (i * 11) % 90) for i in range(50)),
    "ATTUNE_INTEGRATION_KEY": "integration-" + "".join(chr(33 + (i * 13) % 90) for i in range(50)),
    **{
        name: name.lower() + "-" + "".join(chr(33 + (i * 17) % 90) for i in range(50))
        for name in ("ATTUNE_PAYMENTS_KEY", "ATTUNE_XAPI_KEY", "ATTUNE_SSO_SECRETS_KEY")
    },
    **CACHE_ENV,
    **SSO_ENV,
}


def run_production(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        # (browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does)
        if not k.startswith(("AWS_", "ATTUNE_CSP", "SECURE_", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean | PRODUCTION_ENV | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_passes_the_deploy_check():
    result = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_would_catch_a_weakened_setting():
    """The check above can fail: without HSTS it reports security.W004."""
    result = run_production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "check_id"),
    [
        ("ATTUNE_CREDENTIAL_KEY", "attune.W001"),
        ("ATTUNE_INTEGRATION_KEY", "attune.W002"),
        ("ATTUNE_PAYMENTS_KEY", "attune.W003"),
        ("ATTUNE_XAPI_KEY", "attune.W004"),
        ("ATTUNE_SSO_SECRETS_KEY", "attune.W005"),
    ],
)
def test_deploy_check_warns_when_a_key_is_derived_from_secret_key(name, check_id):
    result = run_production("manage.py", "check", "--deploy", **{name: ""})
    output = result.stderr + result.stdout
    assert result.returncode == 0, output  # a warning: the release can go on
    assert check_id in output and f"{name} is empty" in output
    assert "docs/operations.md" in output
    assert len([line for line in output.splitlines() if "(attune.W" in line]) == 1


def test_the_credential_key_is_read_from_the_environment():
    key = "from-the-environment-" + "x" * 40
    assert production_value("s.ATTUNE_CREDENTIAL_KEY", ATTUNE_CREDENTIAL_KEY=key) == repr(key)
    assert production_value(
        "s.ATTUNE_CREDENTIAL_KEY_FALLBACKS", ATTUNE_CREDENTIAL_KEY_FALLBACKS="old-a, old-b"
    ) == repr(["old-a", "old-b"])


def test_whole_database_dumps_are_refused_as_backups():
    for command in (["dumpdata"], ["loaddata", "anything.json"]):
        result = run_production("manage.py", *command)
        assert result.returncode == 1
        assert "not a backup method for Attune" in result.stderr
        assert "docs/operations.md" in result.stderr


def production_value(expression, **env):
    result = run_production(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(repr({expression}))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_sends_the_content_security_policy():
    assert production_value("s.ATTUNE_CSP") == "True"
    middleware = production_value("s.MIDDLEWARE")
    assert "'lms.accounts.middleware.ContentSecurityPolicyMiddleware'" in middleware
    assert middleware.index("SecurityMiddleware") < middleware.index("ContentSecurityPolicy")


def test_storage_origin_is_allowed_for_media_only_when_configured():
    directives = "s.CONTENT_SECURITY_POLICY['DIRECTIVES']"
    assert production_value(f"{directives}['media-src']") == "[\"'self'\", 'blob:']"
    on_bucket = production_value(
        f"{directives}['media-src'] + {directives}['connect-src']",
        AWS_STORAGE_BUCKET_NAME="attune-media",
        AWS_S3_ENDPOINT_URL="https://objects.attune.example:9000/",
    )
    assert on_bucket.count("https://objects.attune.example:9000") == 2
    listed = production_value(
        f"{directives}['img-src']",
        AWS_STORAGE_BUCKET_NAME="attune-media",
        ATTUNE_CSP_STORAGE_ORIGINS="https://cdn.attune.example",
    )
    assert "https://cdn.attune.example" in listed
    assert "objects" not in listed
    aws = production_value(f"{directives}['media-src']", AWS_STORAGE_BUCKET_NAME="attune-media")
    assert "https://attune-media.s3.amazonaws.com" in aws

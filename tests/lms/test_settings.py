import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 60


def import_production_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
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
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = import_production_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_real_settings():
    result = import_production_settings(
        SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://attune@db.internal/attune"
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

"""The backup procedure of docs/operations.md, run for real: a PostgreSQL database with issued
credentials is dumped with ``pg_dump -Fc``, lost, and restored with ``pg_restore`` into a fresh
database; with the documented keys, a credential issued before the dump verifies and new ones
sign, even under a new SECRET_KEY. With the wrong ATTUNE_CREDENTIAL_KEY the error says so.

Each step runs in a process of its own with the environment an operator would give it."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("ATTUNE_BACKUP_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TOOLS = ("createdb", "dropdb", "pg_dump", "pg_restore", "psql")
CREDENTIAL_KEY = "credential-key-" + "c" * 50
INTEGRATION_KEY = "integration-key-" + "i" * 50


def _postgres_missing() -> str | None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install postgresql-client)"
    reached = subprocess.run(
        ["psql", f"{SERVER}/postgres", "-tAc", "select 1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    if reached.returncode != 0:
        return f"no PostgreSQL server at {SERVER} (ATTUNE_BACKUP_TEST_POSTGRES): {reached.stderr}"
    return None


pytestmark = pytest.mark.skipif(
    bool(reason := _postgres_missing()), reason=f"Backup restore test: {reason}"
)


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def django(database: str, var_dir: Path, code: str, **keys) -> dict:
    """Run ``code`` in a Django process of its own against ``database``; it prints JSON."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CELERY_", "CACHE_", "ATTUNE_", "DJANGO_", "SECRET_KEY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=f"{SERVER}/{database}",
        ATTUNE_VAR_DIR=str(var_dir),
        **keys,
    )
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    done = run([sys.executable, "-c", script], cwd=ROOT, env=env, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


ISSUE = """
from django.core.management import call_command
from lms.records.credentials import credential_for
from lms.records.models import TrainingRecord
from tests.lms.records.factories import issue

# migrate
call_command("load_framework", verbosity=0)
first = issue()
second = issue(provider_organization=first.provider_organization)
credential = credential_for(TrainingRecord.objects.get(pk=first.pk))
print(json.dumps({"credential": credential, "second": second.pk}))
"""

AFTER_RESTORE = """
from lms.records.credentials import CredentialError, credential_for, verify_credential
from lms.records.models import TrainingRecord

old = verify_credential(json.loads({credential!r}))
try:
    new = credential_for(TrainingRecord.objects.get(pk={second}))
except CredentialError as exc:
    signed = str(exc)
else:
    signed = "verified" if verify_credential(new).verified else "not verified"
print(json.dumps({{"old": old.as_json()["status"], "signed": signed}}))
"""


@pytest.fixture
def databases():
    names = []

    def create() -> str:
        name = f"attune_backup_{uuid.uuid4().hex[:12]}"
        run(["createdb", "--maintenance-db", f"{SERVER}/postgres", name])
        names.append(name)
        return name

    yield create
    for name in names:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", "--maintenance-db", f"{SERVER}/postgres", name],
            capture_output=True,
            check=False,
        )


def migrated(databases, tmp_path) -> tuple[str, str]:
    """A new database holding what ``migrate`` makes, and the code that still needs to run.

    On PostgreSQL the suite's own test database (the ``db`` fixture's) holds exactly the
    migrated schema and its data migrations' rows; a dump of it (a consistent snapshot even
    while in use) restores in seconds, where running every migration again in a process of
    its own costs minutes on two cores. Otherwise the process migrates the new database.
    """
    name = databases()
    if connection.vendor != "postgresql":
        return name, 'call_command("migrate", verbosity=0)\n'
    snapshot = tmp_path / "migrated.dump"
    template = connection.settings_dict["NAME"]
    run(["pg_dump", "-Fc", "--no-owner", "-f", str(snapshot), f"{SERVER}/{template}"])
    run(["pg_restore", "--no-owner", "--exit-on-error", "-d", f"{SERVER}/{name}", str(snapshot)])
    return name, ""


def test_a_pg_dump_restores_into_a_fresh_database_with_its_keys(databases, tmp_path, db):
    keys = {
        "SECRET_KEY": "first-secret-" + "s" * 50,
        "ATTUNE_CREDENTIAL_KEY": CREDENTIAL_KEY,
        "ATTUNE_INTEGRATION_KEY": INTEGRATION_KEY,
    }
    source, migrate = migrated(databases, tmp_path)
    issued = django(source, tmp_path, ISSUE.replace("# migrate\n", migrate), **keys)

    # Back up as docs/operations.md says, then lose the database.
    dump = tmp_path / "attune.dump"
    run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), f"{SERVER}/{source}"])
    run(["dropdb", "--force", "--maintenance-db", f"{SERVER}/postgres", source])

    restored = databases()
    run(["pg_restore", "--no-owner", "--exit-on-error", "-d", f"{SERVER}/{restored}", str(dump)])
    check = AFTER_RESTORE.format(
        credential=json.dumps(issued["credential"]), second=issued["second"]
    )

    # The documented keys, even with SECRET_KEY changed: old credentials verify, new ones sign.
    rotated_secret = {**keys, "SECRET_KEY": "second-secret-" + "t" * 50}
    assert django(restored, tmp_path, check, **rotated_secret) == {
        "old": "valid",
        "signed": "verified",
    }

    # The wrong credential key: old credentials still verify (public keys), signing says why.
    wrong = {**keys, "ATTUNE_CREDENTIAL_KEY": "wrong-key-" + "w" * 50}
    after = django(restored, tmp_path, check, **wrong)
    assert after["old"] == "valid"
    assert after["signed"].startswith(
        "The issuer's signing key cannot be decrypted with this ATTUNE_CREDENTIAL_KEY"
    )
    assert "docs/operations.md" in after["signed"]

    # Rotation: the new key with the old one as fallback, re-encrypt, then the new key alone.
    new_key = "new-credential-key-" + "n" * 50
    rotate = """
from django.core.management import call_command
call_command("rotate_credential_key")
print("{}")
"""
    django(
        restored,
        tmp_path,
        rotate,
        **{
            **keys,
            "ATTUNE_CREDENTIAL_KEY": new_key,
            "ATTUNE_CREDENTIAL_KEY_FALLBACKS": CREDENTIAL_KEY,
        },
    )
    alone = django(restored, tmp_path, check, **{**keys, "ATTUNE_CREDENTIAL_KEY": new_key})
    assert alone == {"old": "valid", "signed": "verified"}
    old_alone = django(restored, tmp_path, check, **keys)
    assert old_alone["signed"].startswith("The issuer's signing key cannot be decrypted")

"""The Spanish catalog is complete: a fresh extraction of the strings marked in the code finds
nothing untranslated or fuzzy, every placeholder matches, and the compiled catalogs Django reads
are up to date."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lms.operations.management.commands.translations import DOMAINS, languages

ROOT = Path(__file__).resolve().parents[2]
COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "test-artifacts", "__pycache__", "*.mo", "tests"
)


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory):
    """A copy of the tree whose catalogs were updated from its code (the real ones stay as
    they are)."""
    tree = tmp_path_factory.mktemp("tree") / "attune"
    shutil.copytree(ROOT, tree, ignore=COPIED)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "ATTUNE_VAR_DIR": str(tree / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "translations", "update"],
        cwd=tree,
        env=environment,
        check=True,
        capture_output=True,
    )
    return tree, environment


def test_every_marked_string_is_translated_without_fuzzy_entries(fresh_tree):
    tree, environment = fresh_tree
    result = subprocess.run(
        [sys.executable, "manage.py", "translations", "check"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-20000:]


def test_the_committed_catalogs_hold_every_string_the_code_marks(fresh_tree):
    tree, _environment = fresh_tree

    def msgids(po: Path) -> set[str]:
        listed = subprocess.run(
            ["msgcat", "--no-wrap", "--sort-output", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {line for line in listed.splitlines() if line.startswith(("msgid ", "msgctxt "))}

    for language in languages():
        for domain in DOMAINS:
            committed = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            fresh = tree / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            missing = msgids(fresh) - msgids(committed)
            assert not missing, f"run `make messages`: {committed} lacks {sorted(missing)[:50]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogs_are_up_to_date(domain, tmp_path):
    for language in languages():
        po = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        mo = po.with_suffix(".mo")
        fresh = tmp_path / f"{language}-{domain}.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
        assert mo.exists() and mo.read_bytes() == fresh.read_bytes(), (
            f"run `make messages`: {mo} is not compiled from {po}"
        )

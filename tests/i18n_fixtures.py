"""Spanish in tests before the project's catalog holds every message.

The project's catalog (``locale/es/LC_MESSAGES/django.po``) is assembled from fragments
(``var/i18n/<area>.po``) at the end of the work. A test that needs Spanish compiles, with
``msgfmt``, the project's catalog once it holds the area's messages, else the area's
fragment, into a folder of its own that becomes ``LOCALE_PATHS`` for the test. Django's
cached catalogs are forgotten before and after, so nothing leaks into other tests.

Use it in a ``conftest.py`` or a test module::

    spanish = spanish_catalog_fixture("records", marker='msgid "This certifies that"')
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from asgiref.local import Local
from django.utils.translation import trans_real


def reset_translations() -> None:
    """Forget every catalog Django loaded and the language active in this thread."""
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


def spanish_source(root: Path, fragment: str, marker: str) -> Path | None:
    """The project's Spanish catalog if it holds ``marker`` (a ``msgid "…"`` line), else the
    fragment ``var/i18n/<fragment>.po``, else None."""
    catalog = root / "locale" / "es" / "LC_MESSAGES" / "django.po"
    if catalog.exists() and marker in catalog.read_text(encoding="utf-8"):
        return catalog
    path = root / "var" / "i18n" / f"{fragment}.po"
    return path if path.exists() else None


def compile_catalog(source: Path, folder: Path, *, language: str = "es") -> Path:
    """Compile ``source`` into ``folder/<language>/LC_MESSAGES/django.mo``; returns folder."""
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(source)], check=True)
    return folder


def spanish_catalog_fixture(fragment: str, *, marker: str):
    """A fixture that makes Spanish available from the catalog or ``fragment``; it skips
    the test when neither holds ``marker`` or gettext's ``msgfmt`` is missing."""

    @pytest.fixture
    def spanish(settings, tmp_path):
        source = spanish_source(Path(settings.BASE_DIR), fragment, marker)
        if source is None:
            pytest.skip(f"no Spanish catalog holds the {fragment} messages yet")
        if shutil.which("msgfmt") is None:
            pytest.skip("msgfmt (gettext) is not installed")
        folder = compile_catalog(source, tmp_path / "locale")
        reset_translations()
        settings.LOCALE_PATHS = [str(folder)]
        yield folder
        reset_translations()

    return spanish

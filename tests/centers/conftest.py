import shutil
import subprocess
from pathlib import Path

import pytest
from asgiref.local import Local
from django.utils.translation import trans_real

from tests.courses.factories import training


@pytest.fixture
def course(great_lakes):
    return training(great_lakes, "Reading a baby's cues", require_evaluation=False)


@pytest.fixture
def spanish(settings, tmp_path):
    """The Spanish catalog, compiled into a folder of its own: the project's catalog once it
    holds the centers' messages, else the centers' own fragment (var/i18n), which the
    project's catalog is assembled from."""
    root = Path(settings.BASE_DIR)
    catalog = root / "locale" / "es" / "LC_MESSAGES" / "django.po"
    fragment = root / "var" / "i18n" / "organizations.po"
    marker = 'msgid "Download these rows as CSV"'
    if catalog.exists() and marker in catalog.read_text(encoding="utf-8"):
        source = catalog
    elif fragment.exists():
        source = fragment
    else:
        pytest.skip("no Spanish catalog holds the centers' messages yet")
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(source)], check=True)

    def reset():
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()

    reset()
    settings.LOCALE_PATHS = [str(tmp_path)]
    yield
    reset()

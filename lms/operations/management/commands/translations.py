"""Update the interface's translation catalogs from the code, compile them, or check them.

    manage.py translations update    # makemessages for every language but English, both domains
    manage.py translations compile   # compilemessages (the .mo files Django reads)
    manage.py translations check     # untranslated or fuzzy entries, or bad placeholders, fail

``locale/<lang>/LC_MESSAGES/django.po`` holds what templates and Python mark;
``djangojs.po`` what our scripts mark (served by /jsi18n/). ``make messages`` runs update then
compile; the test suite runs ``check`` on a fresh extraction of a copy of the tree, so a string
marked in the code but missing from a catalog fails the build.
"""

import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

# Never scanned: what is not ours or never shown to a person.
IGNORE = [
    ".venv",
    "node_modules",
    "var",
    "tests",
    "benchmarks",
    "docs",
    "test-artifacts",
    "vendor",
    "*.min.js",
    "*/ffmpeg/*",
    "*/speech/*",
]
DOMAINS = ("django", "djangojs")
STATISTICS = re.compile(
    r"(?:(\d+) translated messages?)?(?:, )?(?:(\d+) fuzzy translations?)?(?:, )?"
    r"(?:(\d+) untranslated messages?)?"
)


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogs(locale_dir: Path) -> list[Path]:
    return [
        locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
        for language in languages()
        for domain in DOMAINS
    ]


def _gettext_tool(*args: str) -> subprocess.CompletedProcess:
    # gettext's own tools (msgfmt, msgattrib) on our catalog files, found on PATH.
    return subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603


def problems(po: Path) -> list[str]:
    """What is wrong with one catalog: missing, placeholders that differ, fuzzy, untranslated."""
    if not po.exists():
        return [f"{po}: missing"]
    result = _gettext_tool("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po))
    report = result.stderr.strip()
    found = [] if result.returncode == 0 else [f"{po}: {report}"]
    match = STATISTICS.search(report.splitlines()[-1] if report else "")
    fuzzy, untranslated = (int(match[2] or 0), int(match[3] or 0)) if match else (0, 0)
    if fuzzy or untranslated:
        listed = "".join(
            _gettext_tool("msgattrib", option, "--no-wrap", str(po)).stdout
            for option in ("--only-fuzzy", "--untranslated")
        )
        ids = [line[6:] for line in listed.splitlines() if line.startswith("msgid ")]
        ids = [msgid for msgid in ids if msgid != '""']
        found.append(f"{po}: {fuzzy} fuzzy, {untranslated} untranslated: " + "; ".join(ids))
    return found


class Command(BaseCommand):
    help = "Update, compile or check the translation catalogs (locale/<language>/)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("update", "compile", "check"))

    def handle(self, *args, action, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        if action == "update":
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=languages(),
                    domain=domain,
                    ignore_patterns=IGNORE,
                    no_obsolete=True,
                    verbosity=0,
                )
        elif action == "compile":
            call_command("compilemessages", locale=languages(), ignore_patterns=IGNORE, verbosity=0)
        else:
            found = [problem for po in catalogs(locale_dir) for problem in problems(po)]
            if found:
                raise CommandError("\n".join(found))
        self.stdout.write(f"translations {action}: done ({', '.join(languages())})")

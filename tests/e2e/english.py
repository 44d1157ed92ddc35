"""Find English interface strings on a page that should be in another language.

The English catalog's message ids are the interface's English strings: any of them that reads
differently in the target language and still shows on the page is a string the page did not
translate. Content people wrote (titles, names) is not in the catalog and is left alone.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}|<[^>]+>")


@cache
def english_strings(language: str = "es") -> frozenset[str]:
    """The interface's English strings whose translation into ``language`` differs: the whole
    message when it has no placeholder, else each run of words between placeholders that is
    long enough to mean something on its own."""
    found: set[str] = set()
    for domain in ("django", "djangojs"):
        catalog = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        for entry in polib.pofile(str(catalog)):
            translations = [entry.msgstr, *entry.msgstr_plural.values()]
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                if msgid in translations:
                    continue  # the same in both languages ("No", "PDF", a name)
                for piece in PLACEHOLDER.split(msgid):
                    piece = " ".join(piece.split()).strip(" .,:;·—–-()")
                    whole = piece == " ".join(msgid.split()).strip(" .,:;·—–-()")
                    words = len(piece.split())
                    if (whole and len(piece) >= 4 and words >= 1) or words >= 3:
                        found.add(piece)
    return frozenset(found)


def english_on(text: str, language: str = "es") -> list[str]:
    """The interface strings of the English catalog that appear in ``text`` (a page's
    visible text): whole lines equal to a short one, or a longer one (3 words or more)
    anywhere in a line."""
    lines = {" ".join(line.split()).strip(" .,:;·—–-()") for line in text.splitlines()}
    lines.discard("")
    strings = english_strings(language)
    hits = {line for line in lines if line in strings}
    # Each language in its own name (the switcher, the catalog's language filter): "English"
    # belongs on a Spanish page.
    hits -= {str(name) for _code, name in settings.LANGUAGES}
    long_strings = [s for s in strings if len(s.split()) >= 3]
    for line in lines:
        hits.update(s for s in long_strings if s in line and _whole_words(s, line))
    return sorted(hits)


def _whole_words(piece: str, line: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", line) is not None


# The page's visible text, less what is marked as written in another language (the language
# switcher names each language in its own words: "English" belongs on a Spanish page).
VISIBLE_TEXT = """(language) => {
    const other = [...document.body.querySelectorAll("[lang]")].filter(
        (element) => !element.lang.toLowerCase().startsWith(language)
    );
    const kept = other.map((element) => element.style.visibility);
    other.forEach((element) => { element.style.visibility = "hidden"; });
    const text = document.body.innerText;
    other.forEach((element, index) => { element.style.visibility = kept[index]; });
    return text;
}"""


def english_on_page(page, language: str = "es") -> list[str]:
    """The English interface strings visible on ``page`` (a Playwright page)."""
    return english_on(page.evaluate(VISIBLE_TEXT, language), language)


def assert_no_english(page, language: str = "es") -> None:
    """Fail naming the English interface strings visible on ``page`` (a Playwright page)."""
    hits = english_on_page(page, language)
    assert not hits, f"English interface strings on {page.url}: {hits}"

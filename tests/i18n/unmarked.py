"""Find text in our templates that a person reads but that is not marked for translation.

Every template under ``templates/`` is read with Django's own template lexer. Text outside
``{% translate %}``/``{% blocktranslate %}``, comments, ``<script>``/``<style>`` and template
tags is what a person reads: letters there are an unmarked string. So are the attributes a
person reads or hears (``alt``, ``title``, ``placeholder``, ``aria-label``…) and string
literals handed to ``default:`` or to an include's ``label=``/``title=``… .

Run it on a folder to list what is left: ``python -m tests.i18n.unmarked templates/courses``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# Attributes whose value a person reads or a screen reader speaks.
READ_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
}
# Literal arguments of include/with that carry a person's text.
READ_INCLUDE_KEYS = (
    "label|title|text|heading|help|help_text|placeholder|button|caption|description|message|"
    "empty|empty_text|summary|hint|action|legend|intro"
)
INCLUDE_LITERAL = re.compile(rf"\b(?:{READ_INCLUDE_KEYS})=(\"[^\"]*\"|'[^']*')")
DEFAULT_LITERAL = re.compile(r"\|(?:default|default_if_none):(\"[^\"]*\"|'[^']*')")
# Words that are the same in every language: the product's name and short acronyms.
SAME_IN_EVERY_LANGUAGE = re.compile(r"\b(?:Attune|[A-Z]{2,6}s?|[A-Z][a-z]?\d+)\b")
HIDDEN = " "
# `{% block body_class %}…{% endblock %}` fills an attribute with CSS classes, not prose.
CLASS_BLOCK = re.compile(r"block \w*class\w*")
# Elements whose content is code, not prose.
CODE_TAGS = ("script", "style", "code", "samp")
OPENING_TO_CLOSING = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self):
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text!r}"


def has_words(text: str) -> bool:
    text = SAME_IN_EVERY_LANGUAGE.sub(" ", text)
    return re.search(r"[^\W\d_]{2,}", text) is not None


def _masked(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template with every tag, variable, comment and translated block replaced by
    placeholder characters of the same length (lines kept), and the literals in tags that a
    person reads, by line."""
    out: list[str] = []
    literals: list[tuple[int, str]] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        raw = _raw(token)
        hide = closing is not None or token.token_type != TokenType.TEXT
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(" ", 1)[0] if token.contents else ""
            if closing is None and name in OPENING_TO_CLOSING:
                closing = OPENING_TO_CLOSING[name]
            elif closing is None and CLASS_BLOCK.fullmatch(token.contents):
                closing = "endblock"
            elif closing is not None and name == closing:
                closing = None
            if closing is None and (name in ("include", "with") or "with " in token.contents):
                literals += [(token.lineno, m) for m in INCLUDE_LITERAL.findall(token.contents)]
        if token.token_type in (TokenType.VAR, TokenType.BLOCK) and closing is None:
            literals += [(token.lineno, m) for m in DEFAULT_LITERAL.findall(token.contents)]
        out.append(re.sub(r"[^\n]", HIDDEN, raw) if hide else raw)
    # A tag whose name a template tag chooses (`<{% if href %}a{% else %}button{% endif %}`)
    # is still a tag: give it a name the HTML parser accepts.
    masked = re.sub(f"<(/?){HIDDEN}", lambda m: f"<{m[1]}t", "".join(out))
    return masked, literals


def _raw(token) -> str:
    if token.token_type == TokenType.TEXT:
        return token.contents
    if token.token_type == TokenType.VAR:
        return "{{ " + token.contents + " }}"
    if token.token_type == TokenType.BLOCK:
        return "{% " + token.contents + " %}"
    return "{# " + token.contents + " #}"


class _ReadText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_TAGS:
            self._skip += 1
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES and has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))
            if (
                tag == "input"
                and name == "value"
                and value
                and dict(attrs).get("type") in ("submit", "button", "reset")
                and has_words(value)
            ):
                self.found.append((self.getpos()[0], f'value="{value}"'))

    def handle_endtag(self, tag):
        if tag in CODE_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and has_words(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def unmarked_in(path: Path) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    masked, literals = _masked(source)
    if path.suffix == ".html":
        parser = _ReadText()
        parser.feed(masked)
        parser.close()
        found = parser.found
    else:  # plain-text e-mails: every word outside tags is read
        found = [
            (number, " ".join(line.split()))
            for number, line in enumerate(masked.splitlines(), start=1)
            if has_words(line)
        ]
    found += [(line, literal) for line, literal in literals if has_words(literal.strip("\"'"))]
    return [Unmarked(path, line, text) for line, text in sorted(found)]


def templates(*folders: Path) -> list[Path]:
    folders = folders or (TEMPLATES,)
    paths: list[Path] = []
    for folder in folders:
        folder = Path(folder).resolve()
        if folder.is_file():
            paths.append(folder)
            continue
        paths += [p for p in folder.rglob("*") if p.suffix in (".html", ".txt") and p.is_file()]
    return sorted(paths)


def unmarked(*folders: Path) -> list[Unmarked]:
    return [item for path in templates(*folders) for item in unmarked_in(path)]


if __name__ == "__main__":
    found = unmarked(*(Path(arg) for arg in sys.argv[1:]))
    for item in found:
        print(item)
    print(f"{len(found)} unmarked strings")

"""Our admin screens keep Wagtail's page heading.

Wagtail's shared header reads a context variable named ``heading`` as a replacement for its
whole ``<h1>``; a template that translates its title ``as heading`` and includes the header
loses the heading (the screen reader's landmark and the page's name).
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HEADER = "wagtailadmin/shared/header.html"
SETS_HEADING = re.compile(r"\bas heading\b|\bwith\b[^%]*\bheading=")


def test_no_admin_template_replaces_the_header_h1_by_accident():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if HEADER in (text := path.read_text()) and SETS_HEADING.search(text)
    ]
    assert offenders == []

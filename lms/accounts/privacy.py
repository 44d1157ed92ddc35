"""What Attune holds about a person, gathered for their download and erased at their request.

Data lives in apps at several layers, and this one may not import those above it. So each app
registers a section from its ``AppConfig.ready()``::

    register_section("enrollments", export=export_enrollments, erase=erase_enrollments)

``export(user=...)`` returns JSON-safe rows for ``<name>.json``; ``files(user=...)`` yields
``(path, bytes)`` documents (certificates, a transcript); ``erase(user=..., anonymous_id=...)``
removes or anonymises the section's personal data and keeps what associations must keep;
``kept_by(user=...)`` names the organizations (ids) whose evidence the erasure keeps, so that
their retention rules can be shown to the person (``lms.organizations`` registers how).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

Rows = list[dict] | dict
Export = Callable[..., Rows]
Files = Callable[..., Iterable[tuple[str, bytes]]]
Erase = Callable[..., None]
KeptBy = Callable[..., Iterable[int]]


@dataclass(frozen=True)
class Section:
    name: str
    description: str
    export: Export | None = None
    files: Files | None = None
    erase: Erase | None = None
    kept_by: KeptBy | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(
    name: str,
    *,
    description: str,
    export: Export | None = None,
    files: Files | None = None,
    erase: Erase | None = None,
    kept_by: KeptBy | None = None,
) -> None:
    """Add (or, on a second ``ready()``, replace) one kind of personal data."""
    _SECTIONS[name] = Section(name, description, export, files, erase, kept_by)


def sections() -> list[Section]:
    return [_SECTIONS[name] for name in sorted(_SECTIONS)]


def model_rows(queryset, *, user, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Rows of ``queryset`` as JSON-safe dicts of their concrete fields. A link to another
    model reads as its text, except links to people: the person themselves reads "you", and
    anyone else (staff who recorded something) is left out, so that a download holds nobody
    else's name. Select related rows on the queryset to keep it to one query."""
    user_model = type(user)
    rows = []
    for obj in queryset:
        row = {}
        for field in obj._meta.concrete_fields:
            if field.name in exclude or field.name.endswith("_ptr"):
                continue
            if field.is_relation:
                value_id = getattr(obj, field.attname)
                if field.related_model is user_model:
                    row[field.name] = "you" if value_id == user.pk else None
                elif value_id is None:
                    row[field.name] = None
                else:
                    row[field.name] = str(getattr(obj, field.name))
            elif isinstance(field, models.FileField):
                row[field.name] = field.value_from_object(obj).name or None
            else:
                row[field.name] = field.value_from_object(obj)
        rows.append(row)
    return rows


README = gettext_lazy(
    "Everything %(site)s holds about you, as of %(when)s (UTC).\n"
    "\n"
    "Each JSON file holds one kind of data; documents/ holds your certificates and transcript as\n"
    "PDF files. Dates and times are ISO 8601.\n"
    "\n"
    "%(index)s\n"
)


def export_archive(*, user, site_name: str = "Attune") -> bytes:
    """The person's data as a ZIP: one JSON file per kind, documents, and a README naming
    each file. Reads only; the caller records the download in the audit log."""
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in sections():
            if section.export is not None:
                rows = section.export(user=user)
                filename = f"{section.name}.json"
                archive.writestr(
                    filename, json.dumps(rows, cls=DjangoJSONEncoder, indent=2, sort_keys=True)
                )
                count = len(rows) if isinstance(rows, list) else 1
                index.append(f"{filename:<28} {section.description} ({count})")
            for path, content in section.files(user=user) if section.files else ():
                archive.writestr(f"documents/{path}", content)
                index.append(f"documents/{path:<18} {section.description}")
        archive.writestr(
            "README.txt",
            str(README)
            % {
                "site": site_name,
                "when": timezone.now().strftime("%Y-%m-%d %H:%M"),
                "index": "\n".join(index),
            },
        )
    return buffer.getvalue()


def erase_sections(*, user, anonymous_id: str) -> list[str]:
    """Run every section's erasure; returns the names of the sections that ran."""
    done = []
    for section in sections():
        if section.erase is not None:
            section.erase(user=user, anonymous_id=anonymous_id)
            done.append(section.name)
    return done


_retention_rules: Callable[[set[int]], list[dict]] | None = None


def register_retention_rules(rules: Callable[[set[int]], list[dict]]) -> None:
    """``rules(organization_ids)`` returns one dict per organization: ``organization``,
    ``statement`` and ``years``."""
    global _retention_rules
    _retention_rules = rules


def retention_rules_for(*, user) -> list[dict]:
    """What each organization whose evidence an erasure keeps says it keeps, and how long."""
    ids: set[int] = set()
    for section in sections():
        if section.kept_by is not None:
            ids.update(i for i in section.kept_by(user=user) if i)
    return _retention_rules(ids) if (_retention_rules and ids) else []

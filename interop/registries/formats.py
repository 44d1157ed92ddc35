"""The registries an association may report to and the CSV layout each accepts, read from
``settings.ATTUNE_REGISTRY_FORMATS`` (see lms/settings/registries.py). Pure: no database."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What a column may hold (docs/integrations/registries.md describes each).
SOURCES = (
    "registry_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "sponsor_id",
    "event_id",
    "training_id",
    "training_title",
    "provider_name",
    "delivery_format",
    "start_date",
    "end_date",
    "hours",
    "competency_areas",
    "competency_hours",
    "certificate_id",
)
MAX_ID_LENGTH = 64


@dataclass(frozen=True)
class RegistryFormat:
    code: str
    name: str
    id_label: str
    id_pattern: str
    id_example: str
    columns: tuple[tuple[str, str], ...]
    date_format: str = "%Y-%m-%d"
    delimiter: str = ","
    encoding: str = "utf-8"

    @property
    def headers(self) -> list[str]:
        return [header for header, _ in self.columns]

    def id_is_valid(self, value: str) -> bool:
        return len(value) <= MAX_ID_LENGTH and re.fullmatch(self.id_pattern, value) is not None


def _parse(entry: dict) -> RegistryFormat:
    try:
        columns = tuple((str(header), str(source)) for header, source in entry["columns"])
        found = RegistryFormat(
            code=str(entry["code"]),
            name=str(entry["name"]),
            id_label=str(entry.get("id_label") or "Registry ID"),
            id_pattern=str(entry["id_pattern"]),
            id_example=str(entry.get("id_example", "")),
            columns=columns,
            date_format=str(entry.get("date_format", "%Y-%m-%d")),
            delimiter=str(entry.get("delimiter", ",")),
            encoding=str(entry.get("encoding", "utf-8")),
        )
        re.compile(found.id_pattern)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ImproperlyConfigured(f"ATTUNE_REGISTRY_FORMATS: bad entry {entry!r}: {exc}") from exc
    unknown = sorted({source for _, source in columns} - set(SOURCES))
    if unknown or not re.fullmatch(r"[a-z0-9-]{2,40}", found.code) or len(found.delimiter) != 1:
        raise ImproperlyConfigured(
            f"ATTUNE_REGISTRY_FORMATS: {found.code!r} needs a slug code, one delimiter "
            f"character and known sources (unknown: {', '.join(unknown) or 'none'})"
        )
    "".encode(found.encoding)  # an unknown encoding fails here, at start-up
    return found


@lru_cache(maxsize=4)
def _formats(key: str) -> dict[str, RegistryFormat]:
    parsed = [_parse(entry) for entry in getattr(settings, "ATTUNE_REGISTRY_FORMATS", [])]
    return {item.code: item for item in parsed}


def registry_formats() -> dict[str, RegistryFormat]:
    """Every configured registry by code (settings may change in tests: keyed by their text)."""
    return _formats(repr(getattr(settings, "ATTUNE_REGISTRY_FORMATS", [])))


def registry_format(code: str) -> RegistryFormat | None:
    return registry_formats().get(code)

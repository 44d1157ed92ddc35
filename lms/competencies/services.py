"""Loading the competency framework from its JSON file."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import AgeBand, CompetencyArea, CompetencyFramework, EndorsementCategory, SubArea


class FrameworkFileError(ValueError):
    """The framework file is malformed. Names the file and the field at fault."""

    def __init__(self, path, field_path, message):
        self.path = str(path)
        self.field_path = field_path
        self.message = message
        super().__init__(f"{self.path}: {field_path}: {message}")


@dataclass
class LoadResult:
    framework: CompetencyFramework
    framework_created: bool
    categories_created: list[str] = field(default_factory=list)
    areas_created: int = 0
    sub_areas_created: int = 0
    names_translated: int = 0

    @property
    def changed(self) -> bool:
        return self.framework_created or bool(self.categories_created)


class _Reader:
    """Typed access to parsed JSON that reports the exact field at fault."""

    def __init__(self, path):
        self.path = path

    def fail(self, where, message):
        raise FrameworkFileError(self.path, where, message)

    def obj(self, value, where):
        if not isinstance(value, dict):
            self.fail(where, "must be an object")
        return value

    def items(self, parent, key, where):
        value = parent.get(key)
        if not isinstance(value, list) or not value:
            self.fail(f"{where}.{key}", "must be a non-empty list")
        return [
            (f"{where}.{key}[{i}]", self.obj(item, f"{where}.{key}[{i}]"))
            for i, item in enumerate(value)
        ]

    def text(self, parent, key, where, *, max_length, required=True):
        value = parent.get(key, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(
                f"{where}.{key}", "must be a non-empty string" if required else "must be a string"
            )
        if len(value) > max_length:
            self.fail(f"{where}.{key}", f"must be at most {max_length} characters")
        return value.strip()

    def integer(self, parent, key, where, *, low, high, default=None):
        value = parent.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{where}.{key}", f"must be a whole number from {low} to {high}")
        return value

    def choice(self, parent, key, where, choices):
        value = parent.get(key, "")
        if value not in choices:
            self.fail(f"{where}.{key}", f"must be one of {', '.join(repr(c) for c in choices)}")
        return value

    def date(self, parent, key, where):
        try:
            return datetime.date.fromisoformat(parent.get(key))
        except (TypeError, ValueError):
            self.fail(f"{where}.{key}", "must be a date in ISO 8601 form (YYYY-MM-DD)")

    def names(self, parent, where, *, max_length):
        """Translated names: ``{"es": "..."}``, one per language Attune offers."""
        value = parent.get("names", {})
        if not isinstance(value, dict):
            self.fail(f"{where}.names", "must be an object of names by language code")
        offered = {code for code, _ in settings.LANGUAGES}
        for language in value:
            if language not in offered:
                self.fail(
                    f"{where}.names.{language}",
                    f"is not a language Attune offers ({', '.join(sorted(offered))})",
                )
            self.text(value, language, f"{where}.names", max_length=max_length)
        return {language: text.strip() for language, text in value.items()}

    def unique(self, seen, value, where):
        if value in seen:
            self.fail(where, f"duplicate code {value!r}")
        seen.add(value)


def parse_framework_file(path: Path) -> dict:
    """Read and validate the file; return clean data or raise ``FrameworkFileError``."""
    r = _Reader(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        r.fail("(file)", "not found")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        r.fail("(file)", f"is not valid JSON: {exc}")
    root = r.obj(raw, "$")
    fw = r.obj(root.get("framework"), "$.framework")
    framework = {
        "name": r.text(fw, "name", "$.framework", max_length=120),
        "version": r.text(fw, "version", "$.framework", max_length=20),
        "effective_date": r.date(fw, "effective_date", "$.framework"),
        "notes": r.text(fw, "notes", "$.framework", max_length=4000, required=False),
    }
    categories, codes = [], set()
    for where, item in r.items(root, "categories", "$"):
        code = r.text(item, "code", where, max_length=16)
        r.unique(codes, code, f"{where}.code")
        categories.append(
            {
                "code": code,
                "name": r.text(item, "name", where, max_length=120),
                "level": r.integer(item, "level", where, low=1, high=4),
                "age_band": r.choice(item, "age_band", where, AgeBand.values),
                "designation": r.choice(
                    item, "designation", where, EndorsementCategory.Designation.values
                ),
                "has_exam": bool(item.get("has_exam", False)),
                "order": r.integer(item, "order", where, low=0, high=999, default=0),
                "translated_names": r.names(item, where, max_length=120),
            }
        )
    areas, area_codes = [], set()
    for where, item in r.items(root, "areas", "$"):
        code = r.text(item, "code", where, max_length=8)
        r.unique(area_codes, code, f"{where}.code")
        sub_areas, sub_codes = [], set()
        for sub_where, sub in r.items(item, "sub_areas", where):
            sub_code = r.text(sub, "code", sub_where, max_length=16)
            r.unique(sub_codes, sub_code, f"{sub_where}.code")
            named = sub.get("categories")
            if named is not None:
                if not isinstance(named, list) or not set(named) <= codes:
                    r.fail(f"{sub_where}.categories", "must list known category codes")
                applies_to = list(named)
            else:
                min_level = r.integer(sub, "min_level", sub_where, low=1, high=4, default=1)
                applies_to = [c["code"] for c in categories if c["level"] >= min_level]
            sub_areas.append(
                {
                    "code": sub_code,
                    "name": r.text(sub, "name", sub_where, max_length=160),
                    "translated_names": r.names(sub, sub_where, max_length=160),
                    "order": len(sub_areas) + 1,
                    "categories": applies_to,
                }
            )
        areas.append(
            {
                "code": code,
                "name": r.text(item, "name", where, max_length=120),
                "translated_names": r.names(item, where, max_length=120),
                "order": r.integer(item, "order", where, low=0, high=999, default=len(areas) + 1),
                "sub_areas": sub_areas,
            }
        )
    return {"framework": framework, "categories": categories, "areas": areas}


@transaction.atomic
def load_framework(*, path: Path) -> LoadResult:
    """Load a framework version from ``path``.

    Idempotent: a version that already exists is left exactly as it is (a new version never
    rewrites an old one), and categories are matched by code. A malformed file raises
    ``FrameworkFileError`` before anything is written. Translated names are the exception:
    they are not part of the version, so each load brings them up to date (names only).
    """
    data = parse_framework_file(path)
    result_categories = []
    by_code = {}
    names_translated = 0
    for item in data["categories"]:
        category, created = EndorsementCategory.objects.get_or_create(
            code=item["code"], defaults={k: v for k, v in item.items() if k != "code"}
        )
        by_code[category.code] = category
        if created:
            result_categories.append(category.code)
        elif category.translated_names != item["translated_names"]:
            category.translated_names = item["translated_names"]
            category.save(update_fields=["translated_names"])
            names_translated += 1

    fw = data["framework"]
    framework, created = CompetencyFramework.objects.get_or_create(
        name=fw["name"],
        version=fw["version"],
        defaults={"effective_date": fw["effective_date"], "notes": fw["notes"]},
    )
    result = LoadResult(
        framework=framework,
        framework_created=created,
        categories_created=result_categories,
        names_translated=names_translated,
    )
    if not created:
        result.names_translated += _update_translated_names(framework, data)
        return result

    for area_data in data["areas"]:
        area = CompetencyArea.objects.create(
            framework=framework,
            code=area_data["code"],
            name=area_data["name"],
            translated_names=area_data["translated_names"],
            order=area_data["order"],
        )
        result.areas_created += 1
        for sub_data in area_data["sub_areas"]:
            sub = SubArea.objects.create(
                area=area,
                code=sub_data["code"],
                name=sub_data["name"],
                translated_names=sub_data["translated_names"],
                order=sub_data["order"],
            )
            sub.categories.set([by_code[c] for c in sub_data["categories"]])
            result.sub_areas_created += 1
    return result


def _update_translated_names(framework, data) -> int:
    """Bring the translated names of a loaded version's areas and sub-areas up to the file's;
    codes, names and structure stay as loaded. Returns how many rows changed."""
    changed = []
    areas = {a.code: a for a in CompetencyArea.objects.filter(framework=framework)}
    subs = {(s.area_id, s.code): s for s in SubArea.objects.filter(area__framework=framework)}
    for area_data in data["areas"]:
        area = areas.get(area_data["code"])
        if area is None:
            continue
        if area.translated_names != area_data["translated_names"]:
            area.translated_names = area_data["translated_names"]
            changed.append(area)
        for sub_data in area_data["sub_areas"]:
            sub = subs.get((area.pk, sub_data["code"]))
            if sub is not None and sub.translated_names != sub_data["translated_names"]:
                sub.translated_names = sub_data["translated_names"]
                changed.append(sub)
    for row in changed:
        row.save(update_fields=["translated_names"])
    return len(changed)

"""Give the framework already in the database the translated names the shipped framework
file carries (names only, matched by code); codes, names and structure are not touched."""

import json

from django.conf import settings
from django.db import migrations


def _names_by_code(path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    categories = {c.get("code"): c.get("names") or {} for c in data.get("categories", [])}
    framework = data.get("framework", {})
    areas = {}
    for area in data.get("areas", []):
        areas[area.get("code")] = area.get("names") or {}
        for sub in area.get("sub_areas", []):
            areas[(area.get("code"), sub.get("code"))] = sub.get("names") or {}
    return categories, {"framework": (framework.get("name"), framework.get("version")), **areas}


def add_translated_names(apps, schema_editor):
    categories, areas = _names_by_code(settings.ATTUNE_FRAMEWORK_FILE)
    if not categories and not areas:
        return
    EndorsementCategory = apps.get_model("competencies", "EndorsementCategory")
    CompetencyArea = apps.get_model("competencies", "CompetencyArea")
    SubArea = apps.get_model("competencies", "SubArea")
    for category in EndorsementCategory.objects.filter(code__in=list(categories)):
        if not category.translated_names and categories[category.code]:
            category.translated_names = categories[category.code]
            category.save(update_fields=["translated_names"])
    name, version = areas.pop("framework")
    for area in CompetencyArea.objects.filter(framework__name=name, framework__version=version):
        if not area.translated_names and areas.get(area.code):
            area.translated_names = areas[area.code]
            area.save(update_fields=["translated_names"])
    subs = SubArea.objects.filter(
        area__framework__name=name, area__framework__version=version
    ).select_related("area")
    for sub in subs:
        names = areas.get((sub.area.code, sub.code))
        if not sub.translated_names and names:
            sub.translated_names = names
            sub.save(update_fields=["translated_names"])


class Migration(migrations.Migration):
    dependencies = [("competencies", "0002_translated_names")]

    operations = [migrations.RunPython(add_translated_names, migrations.RunPython.noop)]

"""Writes on requirement sets: the shipped defaults loaded for each association, and a new
version of a set from a date. Bad input raises ``ValidationError`` with nothing saved.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.competencies.models import EndorsementCategory
from lms.competencies.selectors import current_areas
from lms.organizations.models import Organization, OrganizationKind

from ..models import RequirementRule, RequirementSet
from ..rules.rule_sets import AppliesTo, ChecklistItem, RuleKind, SetKind, WindowKind

DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "requirement_defaults.json"


class DefaultsFileError(Exception):
    """The defaults file cannot be read or says something the rules do not understand."""


def defaults_path() -> Path:
    return Path(getattr(settings, "ATTUNE_REQUIREMENT_DEFAULTS_FILE", DEFAULTS_FILE))


# ---------------------------------------------------------------------------------------------
# Shipped defaults


def _decimal(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DefaultsFileError(f"{where}: {value!r} is not a number of hours.") from exc
    if not number.is_finite() or number <= 0:
        raise DefaultsFileError(f"{where}: hours must be more than zero.")
    return number


def _rule_fields(spec: dict, where: str, areas: dict) -> dict:
    try:
        kind = RuleKind(spec["kind"])
        applies_to = AppliesTo(spec.get("applies_to", AppliesTo.EVERYONE))
    except (KeyError, ValueError) as exc:
        raise DefaultsFileError(f"{where}: unknown rule kind or condition ({exc}).") from exc
    values = {
        "kind": kind.value,
        "applies_to": applies_to.value,
        "condition_years": spec.get("condition_years"),
        "lookback_months": spec.get("lookback_months"),
        "note": spec.get("note", ""),
        "open_at_submission": bool(spec.get("open_at_submission", False)),
        "min_hours": None,
        "checklist_item": "",
        "area": None,
    }
    if kind == RuleKind.CHECKLIST:
        try:
            values["checklist_item"] = ChecklistItem(spec["item"]).value
        except (KeyError, ValueError) as exc:
            raise DefaultsFileError(f"{where}: unknown checklist item.") from exc
    else:
        values["min_hours"] = _decimal(spec.get("min_hours"), where)
    if kind == RuleKind.AREA_HOURS:
        values["area"] = areas.get(spec.get("area", ""))
        if values["area"] is None:
            raise DefaultsFileError(f"{where}: unknown competency area {spec.get('area')!r}.")
    if applies_to in (AppliesTo.ENDORSED_UNDER, AppliesTo.ENDORSED_AT_LEAST) and (
        not values["condition_years"]
    ):
        raise DefaultsFileError(f"{where}: the condition needs condition_years.")
    return values


def _set_fields(spec: dict, where: str) -> dict:
    window = spec.get("window", {})
    try:
        kind = SetKind(spec["kind"])
        window_kind = WindowKind(window.get("kind", WindowKind.NONE))
    except (KeyError, ValueError) as exc:
        raise DefaultsFileError(f"{where}: unknown set kind or cycle ({exc}).") from exc
    return {
        "kind": kind.value,
        "window_kind": window_kind.value,
        "cycle_years": int(window.get("cycle_years", 1)),
        "due_month": window.get("due_month"),
        "due_day": window.get("due_day"),
        "expects_every_area": bool(spec.get("expects_every_area", False)),
        "notes": spec.get("notes", ""),
        # Renewals ask no references and one reviewer unless the file says otherwise.
        "raters_required": int(spec.get("raters", 0 if kind == SetKind.RENEWAL else 3)),
        "reviewers_required": int(spec.get("reviewers", 1 if kind == SetKind.RENEWAL else 2)),
    }


def read_defaults(path: Path | None = None) -> dict:
    """The defaults file, checked: every set and rule is understood before anything is saved."""
    path = path or defaults_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        version = str(data["version"])
        effective_from = datetime.date.fromisoformat(data["effective_from"])
        sets = data["sets"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DefaultsFileError(f"Cannot read requirement defaults from {path}: {exc}") from exc
    areas = {a.code: a for a in current_areas()}
    checked = []
    for i, spec in enumerate(sets):
        where = f"set {i + 1}"
        checked.append(
            {
                "categories": list(spec.get("categories", [])),
                "fields": _set_fields(spec, where),
                "rules": [
                    _rule_fields(rule, f"{where}, rule {j + 1}", areas)
                    for j, rule in enumerate(spec.get("rules", []))
                ],
            }
        )
    return {"version": version, "effective_from": effective_from, "sets": checked}


@dataclass
class DefaultsResult:
    created: int = 0
    kept: int = 0
    missing_categories: set[str] = field(default_factory=set)


def load_requirement_defaults(
    *, associations: Iterable[Organization] | None = None, path: Path | None = None
) -> DefaultsResult:
    """Give every association (or those given) the shipped rule sets it does not have yet.

    Idempotent and never destructive: a category and kind for which the association already
    has any rule set (a default, an edited default or its own version) is left alone.
    """
    defaults = read_defaults(path)
    if associations is None:
        associations = Organization.objects.filter(kind=OrganizationKind.ASSOCIATION)
    categories = {c.code: c for c in EndorsementCategory.objects.all()}
    result = DefaultsResult()
    for association in associations:
        if association.kind != OrganizationKind.ASSOCIATION:
            continue
        have = set(
            RequirementSet.objects.filter(association=association).values_list(
                "category_id", "kind"
            )
        )
        for spec in defaults["sets"]:
            for code in spec["categories"]:
                category = categories.get(code)
                if category is None:
                    result.missing_categories.add(code)
                    continue
                if (category.pk, spec["fields"]["kind"]) in have:
                    result.kept += 1
                    continue
                if _create_default(association, category, defaults, spec):
                    have.add((category.pk, spec["fields"]["kind"]))
                    result.created += 1
                else:
                    result.kept += 1
    return result


def _create_default(association, category, defaults, spec) -> bool:
    try:
        with transaction.atomic():
            requirement_set = RequirementSet.objects.create(
                association=association,
                category=category,
                version=defaults["version"],
                effective_from=defaults["effective_from"],
                is_default=True,
                **spec["fields"],
            )
            RequirementRule.objects.bulk_create(
                RequirementRule(requirement_set=requirement_set, sort_order=i, **values)
                for i, values in enumerate(spec["rules"])
            )
    except IntegrityError:
        # Another loader made it a moment ago.
        return False
    return True


def _copied(instance, *, exclude: set[str]) -> dict:
    """The instance's own column values, for a copy (no primary key or timestamps)."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
        and field.name not in exclude
        and not getattr(field, "auto_now", False)
    }


@transaction.atomic
def start_new_version(
    *, requirement_set: RequirementSet, version: str, effective_from: datetime.date
) -> RequirementSet:
    """A copy of ``requirement_set`` in effect from ``effective_from``; the current version
    ends the day before. Edit the copy to change the rules from that date on."""
    current = RequirementSet.objects.select_for_update().get(pk=requirement_set.pk)
    version = (version or "").strip()
    if not version:
        raise ValidationError({"version": ["Name the new version."]})
    if effective_from <= current.effective_from:
        raise ValidationError(
            {"effective_from": ["The new version must start after the current one starts."]}
        )
    if current.effective_to and effective_from > current.effective_to:
        raise ValidationError(
            {"effective_from": ["The current version has already ended; add a new set instead."]}
        )
    rule_rows = list(current.rules.all())
    current.effective_to = effective_from - datetime.timedelta(days=1)
    current.save(update_fields=["effective_to", "updated_at"])
    copy = RequirementSet(
        **_copied(current, exclude={"version", "effective_from", "effective_to", "is_default"}),
        version=version,
        effective_from=effective_from,
    )
    copy.full_clean()
    copy.save()
    RequirementRule.objects.bulk_create(
        RequirementRule(**_copied(row, exclude={"requirement_set"}), requirement_set=copy)
        for row in rule_rows
    )
    return copy

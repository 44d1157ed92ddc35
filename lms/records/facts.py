"""A record's effective training facts: the issued snapshot with every amendment applied.

Everything that shows a record (pages, PDFs, CSV, credentials) reads these facts, so an
amendment is reflected everywhere at once. ``facts_for`` uses only what is prefetched on the
record (area hours with their areas, facilitators, amendments), so lists stay at a fixed
number of queries.
"""

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.competencies.models import localized
from lms.numbers import localized as localized_number

from .models import DeliveryFormat, RecordAgeBand


@dataclass(frozen=True)
class FacilitatorSnapshot:
    """A facilitator as named on a record; ``facilitator_id`` links the registry if known."""

    name: str
    credentials: str = ""
    facilitator_id: int | None = None

    @classmethod
    def coerce(cls, value) -> "FacilitatorSnapshot":
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            return cls(
                name=str(value.get("name", "")).strip(),
                credentials=str(value.get("credentials", "") or "").strip(),
                facilitator_id=value.get("facilitator_id"),
            )
        raise TypeError(f"Expected a FacilitatorSnapshot or a mapping, not {type(value)!r}.")

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "credentials": self.credentials,
            "facilitator_id": self.facilitator_id,
        }

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class AreaHours:
    """Hours credited to a competency area. ``name`` is the area's name as issued;
    ``translated_names`` are the framework's translations of it (names, not facts: never
    stored with the record), which ``localized_name`` shows in the reader's language."""

    code: str
    name: str
    order: int
    hours: Decimal
    translated_names: Mapping = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.translated_names)

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "order": self.order, "hours": str(self.hours)}

    @classmethod
    def from_json(cls, value: Mapping) -> "AreaHours":
        return cls(
            code=value["code"],
            name=value["name"],
            order=int(value.get("order", 0)),
            hours=Decimal(value["hours"]),
        )


@dataclass(frozen=True)
class RecordFacts:
    title: str
    topic: str
    provider_name: str
    completed_on: datetime.date
    duration_hours: Decimal
    delivery_format: str
    age_band: str
    dei: bool
    rsc_topic: bool
    training_url: str
    facilitators: tuple[FacilitatorSnapshot, ...]
    area_hours: tuple[AreaHours, ...]
    amended_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def delivery_format_label(self) -> str:
        return _label(DeliveryFormat, self.delivery_format)

    @property
    def age_band_label(self) -> str:
        return _label(RecordAgeBand, self.age_band)

    @property
    def facilitator_names(self) -> str:
        return "; ".join(str(f) for f in self.facilitators)

    @property
    def hours_by_area(self) -> dict[str, Decimal]:
        return {a.code: a.hours for a in self.area_hours}


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# Fields an amendment may change, and how each is stored in ``RecordAmendment.changes``.
SCALAR_FIELDS = (
    "title",
    "topic",
    "provider_name",
    "completed_on",
    "duration_hours",
    "delivery_format",
    "age_band",
    "dei",
    "rsc_topic",
    "training_url",
)
AMENDABLE_FIELDS = (*SCALAR_FIELDS, "facilitators", "area_hours")


def to_json_value(name: str, value):
    """The JSON form of a fact, as stored in an amendment."""
    if name == "completed_on":
        return value.isoformat()
    if name == "duration_hours":
        return str(value)
    if name == "facilitators":
        return [f.as_json() for f in value]
    if name == "area_hours":
        return [a.as_json() for a in value]
    return value


def from_json_value(name: str, value):
    if name == "completed_on":
        return datetime.date.fromisoformat(value)
    if name == "duration_hours":
        return Decimal(value)
    if name == "facilitators":
        return tuple(FacilitatorSnapshot.coerce(f) for f in value)
    if name == "area_hours":
        return tuple(AreaHours.from_json(a) for a in value)
    return value


def issued_facts(record) -> dict:
    """The values as issued, from the record and its prefetched rows."""
    return {
        "title": record.title,
        "topic": record.topic,
        "provider_name": record.provider_name,
        "completed_on": record.completed_on,
        "duration_hours": record.duration_hours,
        "delivery_format": record.delivery_format,
        "age_band": record.age_band,
        "dei": record.dei,
        "rsc_topic": record.rsc_topic,
        "training_url": record.training_url,
        "facilitators": tuple(
            FacilitatorSnapshot(f.name, f.credentials, f.facilitator_id)
            for f in record.facilitators.all()
        ),
        "area_hours": tuple(
            sorted(
                (
                    AreaHours(
                        r.area.code, r.area.name, r.area.order, r.hours, r.area.translated_names
                    )
                    for r in record.area_hours.all()
                ),
                key=lambda a: (a.order, a.code),
            )
        ),
    }


def facts_for(record) -> RecordFacts:
    """The record's effective facts. Cached on the instance: amendments never change after
    they are read within one request."""
    cached = getattr(record, "_attune_facts", None)
    if cached is not None:
        return cached
    values = issued_facts(record)
    translations = {a.code: a.translated_names for a in values["area_hours"]}
    amended = set()
    for amendment in record.amendments.all():
        for name, change in amendment.changes.items():
            if name in AMENDABLE_FIELDS:
                values[name] = from_json_value(name, change["to"])
                amended.add(name)
    if "area_hours" in amended:
        # Amendments store names as issued; translations of areas the record had still apply.
        values["area_hours"] = tuple(
            dataclasses.replace(a, translated_names=translations.get(a.code) or {})
            for a in values["area_hours"]
        )
    facts = RecordFacts(**values, amended_fields=frozenset(amended))
    record._attune_facts = facts
    return facts


def forget_facts(record) -> None:
    if hasattr(record, "_attune_facts"):
        del record._attune_facts


FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "topic": gettext_lazy("Topic"),
    "provider_name": gettext_lazy("Provider"),
    "completed_on": gettext_lazy("Date"),
    "duration_hours": gettext_lazy("Duration (clock hours)"),
    "delivery_format": gettext_lazy("Delivery"),
    "age_band": gettext_lazy("Age band"),
    "dei": gettext_lazy("DEI content"),
    "rsc_topic": gettext_lazy("About RSC"),
    "training_url": gettext_lazy("Link"),
    "facilitators": gettext_lazy("Facilitators"),
    "area_hours": gettext_lazy("Hours per competency area"),
}


def _describe(name: str, json_value) -> str:
    value = from_json_value(name, json_value)
    if name == "facilitators":
        # Translators: no facilitators, or no hours per area, in an amendment's old/new value.
        return "; ".join(str(f) for f in value) or _("none")
    if name == "area_hours":
        return ", ".join(f"{a.code} {localized_number(a.hours)}" for a in value) or _("none")
    if name == "duration_hours":
        return localized_number(value)
    if name == "delivery_format":
        return _label(DeliveryFormat, value)
    if name == "age_band":
        return _label(RecordAgeBand, value) or _("not specific")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    # Translators: an amended text field's old or new value was empty.
    return str(value) or _("empty")


def describe_changes(changes: Mapping) -> list[str]:
    """Readable lines for an amendment's changes: "Date: 2024-03-14 → 2024-03-15"."""
    return [
        f"{FIELD_LABELS.get(name, name)}: {_describe(name, change['from'])} → "
        f"{_describe(name, change['to'])}"
        for name, change in changes.items()
        if name in FIELD_LABELS
    ]

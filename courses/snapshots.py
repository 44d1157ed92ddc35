"""The facts about a training that a completion record keeps.

A record never needs the training to exist afterwards, so the snapshot carries names and
numbers, not references the record would have to follow.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TrainingSnapshot:
    training_page_id: int | None
    title: str
    topic: str
    contact_hours: Decimal | None
    # Each: {"name": str, "credentials": str, "facilitator_id": int | None}
    facilitators: tuple[dict, ...]
    provider_name: str
    provider_organization_id: int | None
    # Competency area code -> hours, e.g. {"TF": Decimal("1.50")}
    area_hours: dict[str, Decimal]
    area_names: dict[str, str] = field(default_factory=dict)
    sub_areas: tuple[str, ...] = ()
    counts_toward_dei: bool = False
    about_reflective_supervision: bool = False
    delivery_format: str = ""
    age_band: str = ""
    training_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

"""The rules for a training's competency allocation, in one place.

The page editor, the publish guard and the tests all ask these functions, so an editor sees
the same message whichever way a page is published.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

QUARTER_HOUR = Decimal("0.25")


@dataclass(frozen=True)
class AllocationRow:
    area_id: int | None
    area_name: str
    hours: Decimal | None


def hours_text(value: Decimal) -> str:
    """1.50 -> "1.5", 2.00 -> "2", for messages people read."""
    text = format(value.normalize(), "f")
    return text


def _is_quarter(value: Decimal) -> bool:
    return value % QUARTER_HOUR == 0


def row_errors(*, area_name: str, hours: Decimal | None) -> list[str]:
    """What is wrong with one area's hours, on its own."""
    if hours is None:
        return [f"Enter the hours for {area_name}."]
    if hours < 0:
        return [f"Hours for {area_name} cannot be negative ({hours_text(hours)})."]
    if hours == 0:
        return [f"Hours for {area_name} must be more than zero; remove the row instead."]
    if not _is_quarter(hours):
        return [
            f"Hours for {area_name} must be in steps of 0.25 (a quarter hour); "
            f"{hours_text(hours)} is not."
        ]
    return []


def contact_hours_errors(*, contact_hours: Decimal | None, required: bool) -> list[str]:
    if contact_hours is None:
        return ["Enter the contact hours before publishing."] if required else []
    if contact_hours <= 0:
        return ["Contact hours must be more than zero."]
    if not _is_quarter(contact_hours):
        return [
            "Contact hours must be in steps of 0.25 (a quarter hour); "
            f"{hours_text(contact_hours)} is not."
        ]
    return []


def allocation_errors(
    *, contact_hours: Decimal | None, rows: Sequence[AllocationRow], complete: bool
) -> list[str]:
    """What is wrong with the rows taken together.

    Duplicate areas are always wrong. ``complete`` adds what publishing needs: at least one
    row, and rows that add up exactly to the contact hours.
    """
    errors = []
    counts = Counter(row.area_id for row in rows if row.area_id is not None)
    names = {row.area_id: row.area_name for row in rows}
    for area_id, count in counts.items():
        if count > 1:
            errors.append(f"{names[area_id]} has {count} rows; give each area one row.")
    if not complete:
        return errors
    if not rows:
        errors.append("Add at least one competency area with its hours before publishing.")
        return errors
    if contact_hours is None or any(row_errors(area_name="", hours=r.hours) for r in rows):
        return errors
    total = sum((row.hours for row in rows), Decimal(0))
    if total != contact_hours:
        errors.append(
            f"The competency area hours add up to {hours_text(total)} but the contact hours "
            f"are {hours_text(contact_hours)}. Change the rows so that they add up to the "
            "contact hours."
        )
    return errors


def sub_area_errors(*, sub_areas: Iterable, allocated_area_ids: set[int]) -> list[str]:
    """A sub-area tag needs hours in its competency area."""
    return [
        f"The sub-area {sub.name} belongs to {sub.area.name}, which has no hours. Add hours "
        "for that area or remove the sub-area."
        for sub in sub_areas
        if sub.area_id not in allocated_area_ids
    ]

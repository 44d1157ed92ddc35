"""The rules for a training's competency allocation, in one place.

The page editor, the publish guard and the tests all ask these functions, so an editor sees
the same message whichever way a page is published.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from lms.numbers import localized

QUARTER_HOUR = Decimal("0.25")


@dataclass(frozen=True)
class AllocationRow:
    area_id: int | None
    area_name: str
    hours: Decimal | None


def _is_quarter(value: Decimal) -> bool:
    return value % QUARTER_HOUR == 0


def row_errors(*, area_name: str, hours: Decimal | None) -> list[str]:
    """What is wrong with one area's hours, on its own."""
    if hours is None:
        return [_("Enter the hours for %(area)s.") % {"area": area_name}]
    if hours < 0:
        return [
            _("Hours for %(area)s cannot be negative (%(hours)s).")
            % {"area": area_name, "hours": localized(hours)}
        ]
    if hours == 0:
        return [
            _("Hours for %(area)s must be more than zero; remove the row instead.")
            % {"area": area_name}
        ]
    if not _is_quarter(hours):
        return [
            _(
                "Hours for %(area)s must be in steps of %(quarter)s (a quarter hour); "
                "%(hours)s is not."
            )
            % {"area": area_name, "quarter": localized(QUARTER_HOUR), "hours": localized(hours)}
        ]
    return []


def contact_hours_errors(*, contact_hours: Decimal | None, required: bool) -> list[str]:
    if contact_hours is None:
        return [_("Enter the contact hours before publishing.")] if required else []
    if contact_hours <= 0:
        return [_("Contact hours must be more than zero.")]
    if not _is_quarter(contact_hours):
        return [
            _("Contact hours must be in steps of %(quarter)s (a quarter hour); %(hours)s is not.")
            % {"quarter": localized(QUARTER_HOUR), "hours": localized(contact_hours)}
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
            errors.append(
                _("%(area)s has %(count)d rows; give each area one row.")
                % {"area": names[area_id], "count": count}
            )
    if not complete:
        return errors
    if not rows:
        errors.append(_("Add at least one competency area with its hours before publishing."))
        return errors
    if contact_hours is None or any(row_errors(area_name="", hours=r.hours) for r in rows):
        return errors
    total = sum((row.hours for row in rows), Decimal(0))
    if total != contact_hours:
        errors.append(
            _(
                "The competency area hours add up to %(total)s but the contact hours are "
                "%(contact)s. Change the rows so that they add up to the contact hours."
            )
            % {"total": localized(total), "contact": localized(contact_hours)}
        )
    return errors


def sub_area_errors(*, sub_areas: Iterable, allocated_area_ids: set[int]) -> list[str]:
    """A sub-area tag needs hours in its competency area."""
    return [
        _(
            "The sub-area %(sub_area)s belongs to %(area)s, which has no hours. Add hours for "
            "that area or remove the sub-area."
        )
        % {"sub_area": sub.localized_name, "area": sub.area.localized_name}
        for sub in sub_areas
        if sub.area_id not in allocated_area_ids
    ]

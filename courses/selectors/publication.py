"""May this version of a training (or of a course's lesson) be published? One answer for
every way of publishing: the editor's Publish (through the page forms), workflow approval,
scheduled publishing and bulk actions (through ``publish`` on the page models and the
bulk-action hook)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from ..allocation import (
    AllocationRow,
    allocation_errors,
    contact_hours_errors,
    row_errors,
    sub_area_errors,
)
from ..models.archive import TrainingArchive
from .captions import caption_errors
from .credit_offers import credit_offer_errors


def allocation_rows(page) -> list[AllocationRow]:
    return [
        AllocationRow(
            area_id=row.area_id,
            area_name=row.area.localized_name if row.area_id else gettext("an area"),
            hours=row.hours,
        )
        for row in page.area_hours.all()
    ]


def publication_errors(*, page) -> list[str]:
    """Everything that stops ``page`` (a training, possibly an unsaved revision) going live.

    Pages that carry no competency allocation have nothing else to check: catalogs none,
    lessons only the captions of the recordings they show.
    """
    if not hasattr(page, "area_hours"):
        return caption_errors(page=page)
    errors = []
    if page.pk and TrainingArchive.objects.filter(training_id=page.pk).exists():
        errors.append(
            gettext(
                "This training is archived (no longer offered). Restore it from Archived "
                "trainings to offer it again."
            )
        )
    rows = allocation_rows(page)
    errors += contact_hours_errors(contact_hours=page.contact_hours, required=True)
    for row in rows:
        errors += row_errors(area_name=row.area_name, hours=row.hours)
    errors += allocation_errors(contact_hours=page.contact_hours, rows=rows, complete=True)
    errors += sub_area_errors(
        sub_areas=page.sub_areas.all(),
        allocated_area_ids={row.area_id for row in rows},
    )
    if not list(page.facilitator_links.all()):
        errors.append(gettext("Add at least one facilitator before publishing."))
    errors += caption_errors(page=page)
    errors += credit_offer_errors(page=page)
    return errors


def ensure_publishable(*, page) -> None:
    errors = publication_errors(page=page)
    if errors:
        raise ValidationError(errors)

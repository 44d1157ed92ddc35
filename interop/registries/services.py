"""Writes for registry reporting: a learner's registry IDs, an association's registries and
sponsor IDs, a training's registry event ID, and the audited roster file."""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can
from lms.records.spreadsheets import spreadsheet_text

from .formats import MAX_ID_LENGTH, RegistryFormat, registry_format
from .models import AssociationRegistry, LearnerRegistryId, TrainingRegistryEvent
from .selectors import REPORT, Roster


def _known(registry: str) -> RegistryFormat:
    found = registry_format(registry)
    if found is None:
        raise ValidationError(gettext("Unknown registry."))
    return found


def check_registry_id(*, registry: str, registry_id: str) -> str:
    """``registry_id`` as it is kept (trimmed), or a ValidationError saying what is wrong."""
    chosen = _known(registry)
    value = (registry_id or "").strip()
    if value and not chosen.id_is_valid(value):
        example = (
            gettext(" For example: %(example)s.") % {"example": chosen.id_example}
            if chosen.id_example
            else ""
        )
        raise ValidationError(
            gettext("This is not a %(label)s of %(registry)s.%(example)s")
            % {"label": chosen.id_label, "registry": chosen.name, "example": example}
        )
    return value


@transaction.atomic
def set_registry_ids(*, learner, ids: dict[str, str]) -> None:
    """Keep the learner's registry IDs (registry code → ID; blank removes one). Every ID is
    checked before any is saved: one wrong ID changes nothing."""
    checked = {
        code: check_registry_id(registry=code, registry_id=value) for code, value in ids.items()
    }
    for code, value in checked.items():
        if value:
            LearnerRegistryId.objects.update_or_create(
                learner=learner, registry=code, defaults={"registry_id": value}
            )
        else:
            LearnerRegistryId.objects.filter(learner=learner, registry=code).delete()


@transaction.atomic
def set_association_registries(*, association, by, sponsor_ids: dict[str, str]) -> None:
    """The registries ``association`` reports to: registry code → its sponsor ID there (a
    blank ID stops reporting to that registry)."""
    if not user_can(user=by, action=Action.MANAGE_INTEGRATIONS, organization=association):
        raise PermissionDenied
    for code, sponsor_id in sponsor_ids.items():
        _known(code)
        value = (sponsor_id or "").strip()
        if len(value) > MAX_ID_LENGTH:
            raise ValidationError(gettext("A sponsor ID has at most 64 characters."))
        if value:
            AssociationRegistry.objects.update_or_create(
                association=association, registry=code, defaults={"sponsor_id": value}
            )
        else:
            AssociationRegistry.objects.filter(association=association, registry=code).delete()


def set_training_event_id(*, training, registry: str, event_id: str, by) -> None:
    """The ID ``registry`` gave ``training`` (blank forgets it); for the training's editors."""
    association = training.owning_association
    if association is None or not user_can(
        user=by, action=Action.EDIT_TRAINING, organization=association
    ):
        raise PermissionDenied
    _known(registry)
    value = (event_id or "").strip()
    if len(value) > MAX_ID_LENGTH:
        raise ValidationError(gettext("A registry event ID has at most 64 characters."))
    if value:
        TrainingRegistryEvent.objects.update_or_create(
            training_id=training.pk, registry=registry, defaults={"event_id": value}
        )
    else:
        TrainingRegistryEvent.objects.filter(training_id=training.pk, registry=registry).delete()


def roster_filename(roster: Roster) -> str:
    parts = (roster.registry.code, slugify(roster.training.slug)[:50] or "training")
    return f"{'_'.join(parts)}_{roster.start.isoformat()}_{roster.end.isoformat()}.csv"


def roster_csv(roster: Roster) -> bytes:
    """The accepted rows in the registry's columns, every cell safe to open in a spreadsheet."""
    registry = roster.registry
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=registry.delimiter, lineterminator="\r\n")
    writer.writerow([spreadsheet_text(header) for header in registry.headers])
    for row in roster.accepted:
        writer.writerow([spreadsheet_text(cell) for cell in row.cells(registry)])
    return buffer.getvalue().encode(registry.encoding, errors="replace")


def export_roster(*, roster: Roster, by, request=None) -> tuple[str, bytes]:
    """The roster's file and its name; the export is written to the association's audit log
    (people's data left Attune)."""
    if not user_can(user=by, action=REPORT, organization=roster.association):
        raise PermissionDenied
    content = roster_csv(roster)
    filename = roster_filename(roster)
    record_event(
        action=AuditAction.DATA_EXPORTED,
        organization=roster.association,
        target=roster.training,
        target_repr=gettext("Registry roster of %(training)s for %(registry)s")
        % {"training": roster.training.title, "registry": roster.registry.name},
        details={
            "export": "registry_roster",
            "registry": roster.registry.code,
            "training_id": roster.training.pk,
            "start": roster.start.isoformat(),
            "end": roster.end.isoformat(),
            "rows": len(roster.accepted),
            "rejected": len(roster.rejected),
            "filename": filename,
        },
        actor=by,
        request=request,
    )
    return filename, content

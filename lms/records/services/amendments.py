"""Corrections after issue: amending a record's facts and revoking it.

The record row itself never changes: an amendment is a row of its own that ``facts_for``
applies, and a revoked record stays on file and on its verification page, marked revoked.
Its Open Badges credential follows: an amendment re-issues it under a new id (the old one
is marked superseded in the issuer's status list), a revocation sets the revoked bit of
every credential ever issued for the record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .. import signals, status_lists
from ..credentials import reissue_credential, subject_key
from ..facts import (
    AMENDABLE_FIELDS,
    FacilitatorSnapshot,
    facts_for,
    forget_facts,
    from_json_value,
    to_json_value,
)
from ..models import RecordAmendment, RecordEvent, RecordStatus, RSCSession, TrainingRecord
from .issuing import checked_facilitators, validate_facts
from .record_events import add_record_event


def _parse_change(name: str, value):
    if name in {"facilitators"}:
        return tuple(FacilitatorSnapshot.coerce(f) for f in value)
    if name == "area_hours":
        return value
    if name == "completed_on" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


@transaction.atomic
def amend_record(*, record: TrainingRecord, by, reason: str, **changes) -> RecordAmendment:
    """Correct an issued record. ``changes`` are new values for fields in
    ``AMENDABLE_FIELDS`` (``area_hours`` as a code -> hours mapping, ``facilitators`` as
    snapshots or mappings). The record row itself never changes."""
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for the amendment.")]})
    if record.is_revoked:
        raise ValidationError(_("A revoked record cannot be amended."))
    unknown = sorted(set(changes) - set(AMENDABLE_FIELDS))
    if unknown:
        raise ValidationError(
            _("These fields cannot be amended: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    current = facts_for(record)
    proposed = {name: _parse_change(name, value) for name, value in changes.items()}
    area_map = (
        proposed["area_hours"]
        if "area_hours" in proposed
        else {a.code: a.hours for a in current.area_hours}
    )
    duration, areas = validate_facts(
        learner=record.learner,
        completed_on=proposed.get("completed_on", current.completed_on),
        duration_hours=proposed.get("duration_hours", current.duration_hours),
        area_hours=area_map,
        require_areas=not isinstance(record, RSCSession),
        delivery_format=proposed.get("delivery_format", current.delivery_format),
        age_band=proposed.get("age_band", current.age_band),
    )
    if "duration_hours" in proposed:
        proposed["duration_hours"] = duration
    if "area_hours" in proposed:
        proposed["area_hours"] = areas
    if "facilitators" in proposed:
        proposed["facilitators"] = checked_facilitators(proposed["facilitators"])
    for name in ("title", "provider_name"):
        if name in proposed and not str(proposed[name]).strip():
            raise ValidationError({name: [_("This field cannot be empty.")]})
    stored = {}
    for name, value in proposed.items():
        old = to_json_value(name, getattr(current, name))
        new = to_json_value(name, value)
        if from_json_value(name, old) != from_json_value(name, new):
            stored[name] = {"from": old, "to": new}
    if not stored:
        raise ValidationError(_("The amendment changes nothing."))
    amendment = RecordAmendment.objects.create(
        record=record, reason=reason, changes=stored, amended_by=by
    )
    record.save(update_fields=["modified_at"])
    add_record_event(
        record, RecordEvent.Kind.AMENDED, actor=by, amendment=amendment.pk, fields=sorted(stored)
    )
    record_event(
        action=AuditAction.RECORD_AMENDED,
        organization=record.provider_organization,
        target=record,
        details={"reason": reason, "changes": stored},
        actor=by,
    )
    _refresh(record)
    reissue_credential(record)
    signals.record_amended.send(sender=type(record), record=record, amendment=amendment)
    return amendment


@transaction.atomic
def revoke_record(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Mark a record revoked. It stays on file and on its verification page, marked revoked."""
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for revoking the record.")]})
    if record.is_revoked:
        raise ValidationError(_("This record is already revoked."))
    record.status = RecordStatus.REVOKED
    record.revoked_at = timezone.now()
    record.revoked_by = by
    record.revocation_reason = reason
    record.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    status_lists.revoke_subject(subject_key=subject_key(record), reason=reason)
    add_record_event(record, RecordEvent.Kind.REVOKED, actor=by, reason=reason)
    record_event(
        action=AuditAction.RECORD_REVOKED,
        organization=record.provider_organization,
        target=record,
        details={"reason": reason},
        actor=by,
    )
    signals.record_revoked.send(sender=type(record), record=record)
    return record


def _refresh(record) -> None:
    forget_facts(record)
    if hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache.clear()

"""Writes on the checklist: a learner ticks an item (with evidence) or removes a tick."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.organizations.models import OrganizationKind
from lms.records.evidence import validate_evidence
from lms.records.services.issuing import learner_today

from ..models import ChecklistTick
from ..rules.rule_sets import ChecklistItem


@transaction.atomic
def tick_checklist_item(
    *,
    learner,
    association,
    item: str,
    completed_on: datetime.date,
    note: str = "",
    evidence=None,
) -> ChecklistTick:
    """Tick a checklist item, optionally with a PDF or image as evidence.

    Ticking the same item on the same day again returns that tick; new evidence replaces its
    file (so a double submit never makes two ticks).
    """
    errors = {}
    if association is None or association.kind != OrganizationKind.ASSOCIATION:
        errors["association"] = [_("Choose an association.")]
    if item not in {member.value for member in ChecklistItem}:
        errors["item"] = [_("Choose a checklist item.")]
    if not isinstance(completed_on, datetime.date) or completed_on > learner_today(learner):
        errors["completed_on"] = [_("Enter the date it was done (not in the future).")]
    checked = None
    if evidence is not None:
        try:
            checked = validate_evidence(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    tick, _created = ChecklistTick.objects.select_for_update().get_or_create(
        learner=learner,
        association=association,
        item=item,
        completed_on=completed_on,
        defaults={"note": (note or "").strip()[:300]},
    )
    if checked is not None:
        old = tick.evidence.name if tick.evidence else ""
        tick.evidence.save(checked.storage_name, checked.content, save=False)
        tick.evidence_content_type = checked.content_type
        tick.evidence_sha256 = checked.sha256
        tick.save(update_fields=["evidence", "evidence_content_type", "evidence_sha256"])
        if old:
            storage = tick.evidence.storage
            transaction.on_commit(lambda: storage.delete(old))
    return tick


@transaction.atomic
def remove_checklist_tick(*, learner, tick_id: int) -> bool:
    """Remove one of the learner's own ticks (and its evidence file). False if not theirs;
    a tick a submitted application relies on stays, with its evidence."""
    tick = ChecklistTick.objects.select_for_update().filter(learner=learner, pk=tick_id).first()
    if tick is None:
        return False
    if tick.submissions.exists():
        raise ValidationError(
            _("This item and its evidence are part of a submitted application; it stays on file.")
        )
    name = tick.evidence.name if tick.evidence else ""
    storage = tick.evidence.storage
    tick.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return True


@transaction.atomic
def tick_membership(*, learner, association, on: datetime.date) -> ChecklistTick:
    """The association's membership records tick the membership item for ``learner`` (a
    membership started or renewed on ``on``). Idempotent; a tick the learner made that day
    stays theirs."""
    tick, _created = ChecklistTick.objects.select_for_update().get_or_create(
        learner=learner,
        association=association,
        item=ChecklistItem.MEMBERSHIP,
        completed_on=on,
        defaults={"from_membership": True},
    )
    return tick


@transaction.atomic
def untick_membership(*, learner, association) -> int:
    """The membership ended: its automatic ticks go, except those a submitted application
    relies on (they stay on file with it). Returns how many went."""
    # Only the ticks' own rows are locked: PostgreSQL cannot lock the outer join's side.
    ticks = ChecklistTick.objects.select_for_update(of=("self",)).filter(
        learner=learner,
        association=association,
        item=ChecklistItem.MEMBERSHIP,
        from_membership=True,
        submissions__isnull=True,
    )
    deleted, _counts = ChecklistTick.objects.filter(pk__in=[t.pk for t in ticks]).delete()
    return deleted

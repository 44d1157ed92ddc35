"""Training the learner took elsewhere, entered by the learner (self-reported), with an
optional evidence file."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..evidence import EvidenceFile, validate_evidence
from ..facts import FacilitatorSnapshot
from ..models import ExternalTraining, VerificationTier
from .issuing import announce_issued, checked_facilitators, validate_facts


@transaction.atomic
def add_external_training(
    *,
    learner,
    title: str,
    completed_on: datetime.date,
    duration_hours: Decimal,
    provider_name: str,
    area_hours: Mapping[str, Decimal],
    delivery_format: str,
    facilitators: Sequence[FacilitatorSnapshot | Mapping] = (),
    topic: str = "",
    dei: bool = False,
    rsc_topic: bool = False,
    age_band: str = "",
    training_url: str = "",
    evidence=None,
) -> ExternalTraining:
    """Record training the learner took elsewhere (self-reported), with optional evidence."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("A title is required.")]
    if not (provider_name or "").strip():
        errors["provider_name"] = [_("Name the organization that provided the training.")]
    checked: EvidenceFile | None = None
    try:
        duration, areas = validate_facts(
            learner=learner,
            completed_on=completed_on,
            duration_hours=duration_hours,
            area_hours=area_hours,
            delivery_format=delivery_format,
            age_band=age_band,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        snapshots = checked_facilitators(facilitators)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if evidence is not None:
        try:
            checked = validate_evidence(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    record = ExternalTraining(
        learner=learner,
        title=title.strip(),
        topic=topic.strip(),
        provider_name=provider_name.strip(),
        completed_on=completed_on,
        duration_hours=duration,
        delivery_format=delivery_format,
        age_band=age_band,
        dei=dei,
        rsc_topic=rsc_topic,
        training_url=training_url,
        verification_tier=VerificationTier.SELF_REPORTED,
        created_by=learner,
    )
    if checked is not None:
        record.evidence.save(checked.storage_name, checked.content, save=False)
        record.evidence_content_type = checked.content_type
        record.evidence_sha256 = checked.sha256
    record.save()
    announce_issued(record, actor=learner, facilitators=snapshots, area_hours=areas)
    return record

"""Writes on training records: issue, enter, amend, revoke, co-sign. Keyword-only arguments.

Every function validates before it writes and raises ``ValidationError`` (keyed by field
where there is one) with nothing saved when the input is wrong.
"""

import datetime
import logging
import secrets
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.competencies.models import SubArea
from lms.competencies.selectors import current_areas
from lms.organizations.models import Facilitator, Organization

from . import signals
from .evidence import EvidenceFile, validate_evidence
from .facts import (
    AMENDABLE_FIELDS,
    AreaHours,
    FacilitatorSnapshot,
    facts_for,
    forget_facts,
    from_json_value,
    to_json_value,
)
from .links import public_url
from .models import (
    CosignStatus,
    DeliveryFormat,
    ExternalTraining,
    LiveAttendance,
    PlatformCompletion,
    RecordAgeBand,
    RecordAmendment,
    RecordAreaHours,
    RecordEvent,
    RecordFacilitator,
    RecordStatus,
    RSCSession,
    SessionFormat,
    TrainingRecord,
    VerificationTier,
)

logger = logging.getLogger(__name__)

QUARTER = Decimal("0.25")
MAX_HOURS = Decimal("1000")
KINDS = {
    "platform": (PlatformCompletion, VerificationTier.PLATFORM_VERIFIED),
    "live_attendance": (LiveAttendance, VerificationTier.ATTENDANCE_VERIFIED),
}
COSIGN_SALT = "lms.records.rsc-cosign"


def cosign_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ATTUNE_RSC_COSIGN_DAYS", 14))


# ---------------------------------------------------------------------------------------------
# Validation shared by every way a record comes into being


def learner_today(learner) -> datetime.date:
    """Today where the learner lives: a training finished this evening in Hawaii is not in the
    future just because it is already tomorrow in UTC."""
    tz_name = getattr(getattr(learner, "profile", None), "time_zone", "") or "UTC"
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.UTC
    return timezone.now().astimezone(tz).date()


def _hours(value, *, field: str, errors: dict) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append("Enter a number of clock hours.")
        return None
    if not hours.is_finite() or hours <= 0:
        errors.setdefault(field, []).append("Hours must be more than zero.")
        return None
    if hours > MAX_HOURS:
        errors.setdefault(field, []).append(f"Hours must be at most {MAX_HOURS}.")
        return None
    if hours % QUARTER != 0:
        errors.setdefault(field, []).append("Hours are counted in quarter hours (0.25 steps).")
        return None
    return hours.quantize(Decimal("0.01"))


def validate_facts(
    *,
    learner,
    completed_on,
    duration_hours,
    area_hours: Mapping[str, object],
    require_areas: bool = True,
    delivery_format: str | None = None,
    age_band: str = "",
    sub_area_codes: Sequence[str] = (),
) -> tuple[Decimal, tuple[AreaHours, ...]]:
    """Check a record's facts. Returns the duration and the resolved area hours."""
    errors: dict[str, list[str]] = {}
    if not isinstance(completed_on, datetime.date) or isinstance(completed_on, datetime.datetime):
        errors["completed_on"] = ["Enter the date the training was completed."]
    elif completed_on > learner_today(learner):
        errors["completed_on"] = ["The completion date cannot be in the future."]
    duration = _hours(duration_hours, field="duration_hours", errors=errors)
    if delivery_format is not None and delivery_format not in DeliveryFormat.values:
        errors["delivery_format"] = ["Choose a delivery format."]
    if age_band not in RecordAgeBand.values:
        errors["age_band"] = ["Choose an age band."]

    areas = {a.code: a for a in current_areas()}
    resolved: list[AreaHours] = []
    for code, raw in (area_hours or {}).items():
        area = areas.get(code)
        if area is None:
            errors.setdefault("area_hours", []).append(f"Unknown competency area {code!r}.")
            continue
        hours = _hours(raw, field="area_hours", errors=errors)
        if hours is not None:
            resolved.append(AreaHours(area.code, area.name, area.order, hours))
    if require_areas and not area_hours:
        errors.setdefault("area_hours", []).append(
            "Credit the hours to at least one competency area."
        )
    if resolved and duration is not None and "area_hours" not in errors:
        total = sum((a.hours for a in resolved), Decimal(0))
        if total != duration:
            errors.setdefault("area_hours", []).append(
                f"Hours per competency area add up to {total.normalize():f}, "
                f"but the duration is {duration.normalize():f}."
            )
    if sub_area_codes:
        known = set(
            SubArea.objects.filter(area__in=areas.values(), code__in=sub_area_codes).values_list(
                "code", flat=True
            )
        )
        unknown = sorted(set(sub_area_codes) - known)
        if unknown:
            errors["sub_area_codes"] = [f"Unknown sub-areas: {', '.join(unknown)}."]
    if errors:
        raise ValidationError(errors)
    return duration, tuple(sorted(resolved, key=lambda a: (a.order, a.code)))


def _facilitators(facilitators) -> tuple[FacilitatorSnapshot, ...]:
    snapshots = tuple(FacilitatorSnapshot.coerce(f) for f in facilitators or ())
    if any(not f.name for f in snapshots):
        raise ValidationError({"facilitators": ["Every facilitator needs a name."]})
    ids = {f.facilitator_id for f in snapshots if f.facilitator_id is not None}
    if ids and Facilitator.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"facilitators": ["A facilitator is not in the registry."]})
    return snapshots


def _event(record, kind, *, actor=None, **detail) -> RecordEvent:
    return RecordEvent.objects.create(record=record, kind=kind, actor=actor, detail=detail)


def _write_rows(record, *, facilitators, area_hours) -> None:
    if area_hours:
        codes = [a.code for a in area_hours]
        areas = {a.code: a for a in current_areas().filter(code__in=codes)}
        RecordAreaHours.objects.bulk_create(
            RecordAreaHours(record=record, area=areas[a.code], hours=a.hours) for a in area_hours
        )
    RecordFacilitator.objects.bulk_create(
        RecordFacilitator(
            record=record,
            name=f.name,
            credentials=f.credentials,
            facilitator_id=f.facilitator_id,
            order=i,
        )
        for i, f in enumerate(facilitators)
    )


def _announce_issued(record, *, actor=None, facilitators=(), area_hours=(), **detail) -> None:
    """The rows, audit event and signal that every new record gets, whatever made it."""
    _write_rows(record, facilitators=facilitators, area_hours=area_hours)
    _event(record, RecordEvent.Kind.ISSUED, actor=actor, **detail)
    signals.record_issued.send(sender=type(record), record=record)


# ---------------------------------------------------------------------------------------------
# Issuing


def issue_completion_record(
    *,
    learner,
    source_key: str,
    title: str,
    completed_on: datetime.date,
    duration_hours: Decimal,
    provider_name: str,
    provider_organization: Organization | None = None,
    facilitators: Sequence[FacilitatorSnapshot | Mapping] = (),
    area_hours: Mapping[str, Decimal],
    topic: str = "",
    sub_area_codes: Sequence[str] = (),
    dei: bool = False,
    rsc_topic: bool = False,
    delivery_format: str,
    age_band: str = "",
    kind: str = "platform",
    verification_tier: str | None = None,
    training_url: str = "",
) -> TrainingRecord:
    """Issue the record of a finished course, webinar or live session.

    Idempotent per ``(learner, source_key)``: a second call, even a concurrent one, returns
    the record the first call made and changes nothing. ``area_hours`` maps competency-area
    codes to clock hours and must add up to ``duration_hours``.
    """
    source_key = (source_key or "").strip()
    if not source_key:
        raise ValidationError({"source_key": ["A source key is required."]})
    existing = TrainingRecord.objects.filter(learner=learner, source_key=source_key).first()
    if existing is not None:
        return existing
    if kind not in KINDS:
        raise ValidationError({"kind": [f"Unknown record kind {kind!r}."]})
    model, default_tier = KINDS[kind]
    tier = verification_tier or default_tier
    if tier not in VerificationTier.values:
        raise ValidationError({"verification_tier": ["Unknown verification tier."]})
    if not (title or "").strip():
        raise ValidationError({"title": ["A title is required."]})
    if not (provider_name or "").strip():
        raise ValidationError({"provider_name": ["A provider name is required."]})
    duration, areas = validate_facts(
        learner=learner,
        completed_on=completed_on,
        duration_hours=duration_hours,
        area_hours=area_hours,
        delivery_format=delivery_format,
        age_band=age_band,
        sub_area_codes=sub_area_codes,
    )
    snapshots = _facilitators(facilitators)
    try:
        with transaction.atomic():
            record = model.objects.create(
                learner=learner,
                source_key=source_key,
                title=title.strip(),
                topic=topic.strip(),
                provider_name=provider_name.strip(),
                provider_organization=provider_organization,
                completed_on=completed_on,
                duration_hours=duration,
                delivery_format=delivery_format,
                age_band=age_band,
                sub_area_codes=list(sub_area_codes),
                dei=dei,
                rsc_topic=rsc_topic,
                training_url=training_url,
                verification_tier=tier,
            )
            _announce_issued(
                record, facilitators=snapshots, area_hours=areas, source_key=source_key
            )
    except IntegrityError:
        # A concurrent call won the unique (learner, source_key) race: return its record.
        existing = TrainingRecord.objects.filter(learner=learner, source_key=source_key).first()
        if existing is None:
            raise
        return existing
    return record


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
        errors["title"] = ["A title is required."]
    if not (provider_name or "").strip():
        errors["provider_name"] = ["Name the organization that provided the training."]
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
        snapshots = _facilitators(facilitators)
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
    _announce_issued(record, actor=learner, facilitators=snapshots, area_hours=areas)
    return record


# ---------------------------------------------------------------------------------------------
# Amendments and revocation


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
        raise ValidationError({"reason": ["Give a reason for the amendment."]})
    if record.is_revoked:
        raise ValidationError("A revoked record cannot be amended.")
    unknown = sorted(set(changes) - set(AMENDABLE_FIELDS))
    if unknown:
        raise ValidationError(f"These fields cannot be amended: {', '.join(unknown)}.")
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
        proposed["facilitators"] = _facilitators(proposed["facilitators"])
    for name in ("title", "provider_name"):
        if name in proposed and not str(proposed[name]).strip():
            raise ValidationError({name: ["This field cannot be empty."]})
    stored = {}
    for name, value in proposed.items():
        old = to_json_value(name, getattr(current, name))
        new = to_json_value(name, value)
        if from_json_value(name, old) != from_json_value(name, new):
            stored[name] = {"from": old, "to": new}
    if not stored:
        raise ValidationError("The amendment changes nothing.")
    amendment = RecordAmendment.objects.create(
        record=record, reason=reason, changes=stored, amended_by=by
    )
    record.save(update_fields=["modified_at"])
    _event(
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
    signals.record_amended.send(sender=type(record), record=record, amendment=amendment)
    return amendment


@transaction.atomic
def revoke_record(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Mark a record revoked. It stays on file and on its verification page, marked revoked."""
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Give a reason for revoking the record."]})
    if record.is_revoked:
        raise ValidationError("This record is already revoked.")
    record.status = RecordStatus.REVOKED
    record.revoked_at = timezone.now()
    record.revoked_by = by
    record.revocation_reason = reason
    record.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    _event(record, RecordEvent.Kind.REVOKED, actor=by, reason=reason)
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


def log_download(*, record, actor, kind: str) -> None:
    _event(record, kind, actor=actor)


# ---------------------------------------------------------------------------------------------
# Reflective supervision/consultation and its co-signature


class CosignLinkError(Exception):
    """A co-signature link that cannot be used; ``reason`` says why."""

    EXPIRED = "expired"
    INVALID = "invalid"
    USED = "used"
    WRONG_USER = "wrong_user"

    MESSAGES = {
        EXPIRED: "This co-signature link has expired. Ask the learner to send a new one.",
        INVALID: "This co-signature link is not valid.",
        USED: "This co-signature link has already been used.",
        WRONG_USER: "This link was sent to another person. Sign in with the e-mail address "
        "the request was sent to.",
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


@transaction.atomic
def log_rsc_session(
    *,
    learner,
    session_date: datetime.date,
    duration_hours: Decimal,
    session_format: str,
    supervisor_name: str,
    supervisor_email: str,
    supervisor_endorsement: str = "",
    topic: str = "",
    delivery_format: str = DeliveryFormat.IN_PERSON,
) -> RSCSession:
    """Log an RSC session and e-mail the supervisor a link to co-sign it."""
    errors = {}
    try:
        duration, _ = validate_facts(
            learner=learner,
            completed_on=session_date,
            duration_hours=duration_hours,
            area_hours={},
            require_areas=False,
            delivery_format=delivery_format,
        )
    except ValidationError as exc:
        errors.update(
            {("session_date" if k == "completed_on" else k): v for k, v in exc.message_dict.items()}
        )
    if session_format not in SessionFormat.values:
        errors["session_format"] = ["Choose individual or group."]
    if not (supervisor_name or "").strip():
        errors["supervisor_name"] = ["Name your supervisor or consultant."]
    supervisor_email = (supervisor_email or "").strip()
    if not supervisor_email or "@" not in supervisor_email:
        errors["supervisor_email"] = ["Enter your supervisor's e-mail address."]
    elif supervisor_email.lower() == learner.email.lower():
        errors["supervisor_email"] = ["You cannot co-sign your own session."]
    if errors:
        raise ValidationError(errors)
    kind = SessionFormat(session_format).label.lower()
    record = RSCSession.objects.create(
        learner=learner,
        title=f"Reflective supervision/consultation ({kind})",
        topic=topic.strip(),
        provider_name=supervisor_name.strip(),
        completed_on=session_date,
        duration_hours=duration,
        delivery_format=delivery_format,
        verification_tier=VerificationTier.SELF_REPORTED,
        session_format=session_format,
        supervisor_name=supervisor_name.strip(),
        supervisor_email=supervisor_email,
        supervisor_endorsement=supervisor_endorsement.strip(),
        created_by=learner,
    )
    _announce_issued(record, actor=learner)
    request_rsc_cosignature(record=record, by=learner)
    return record


def cosign_token(record: RSCSession) -> str:
    return signing.dumps({"r": record.pk, "n": record.cosign_nonce}, salt=COSIGN_SALT)


@transaction.atomic
def request_rsc_cosignature(*, record: RSCSession, by) -> str:
    """Send (or send again) the co-signature link. A new link replaces any earlier one."""
    record = RSCSession.objects.select_for_update().get(pk=record.pk)
    if record.learner_id != by.pk:
        raise PermissionError("Only the learner can ask for a co-signature.")
    if record.cosign_status != CosignStatus.PENDING:
        raise ValidationError("This session has already been answered by the supervisor.")
    if record.is_revoked:
        raise ValidationError("This session was revoked.")
    record.cosign_nonce = secrets.token_urlsafe(24)
    record.cosign_requested_at = timezone.now()
    record.save(update_fields=["cosign_nonce", "cosign_requested_at", "modified_at"])
    token = cosign_token(record)
    link = public_url(reverse("records:rsc_cosign", args=[token]))
    context = {
        "record": record,
        "learner_name": record.learner.get_full_name() or record.learner.email,
        "link": link,
        "days": cosign_max_age().days,
    }
    subject = f"Please co-sign a reflective supervision session for {context['learner_name']}"
    body = render_to_string("records/email/rsc_cosign_request.txt", context)
    recipient = record.supervisor_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )
    _event(record, RecordEvent.Kind.COSIGN_REQUESTED, actor=by, to=recipient)
    return token


def rsc_session_for_token(*, token: str, user, lock: bool = False) -> RSCSession:
    """The session a co-signature link is for, after every check of the link and the user.
    With ``lock`` the row stays locked until the transaction ends, so that two simultaneous
    answers cannot both count."""
    try:
        payload = signing.loads(token, salt=COSIGN_SALT, max_age=cosign_max_age())
    except signing.SignatureExpired as exc:
        raise CosignLinkError(CosignLinkError.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise CosignLinkError(CosignLinkError.INVALID) from exc
    sessions = RSCSession.objects.select_related("learner")
    if lock:
        sessions = RSCSession.objects.select_for_update()
    record = sessions.filter(pk=payload.get("r")).first()
    if record is None or record.is_revoked:
        raise CosignLinkError(CosignLinkError.INVALID)
    nonce = payload.get("n") or ""
    if record.cosign_status != CosignStatus.PENDING or not secrets.compare_digest(
        record.cosign_nonce or "", nonce
    ):
        # Answered already, or replaced by a newer link.
        raise CosignLinkError(CosignLinkError.USED)
    email = (getattr(user, "email", "") or "").lower()
    if email != record.supervisor_email.lower() or user.pk == record.learner_id:
        raise CosignLinkError(CosignLinkError.WRONG_USER)
    return record


@transaction.atomic
def decide_rsc_cosignature(*, token: str, user, confirm: bool, comment: str = "") -> RSCSession:
    """The supervisor confirms or declines a session. The link works once."""
    record = rsc_session_for_token(token=token, user=user, lock=True)
    record.cosign_status = CosignStatus.CONFIRMED if confirm else CosignStatus.DECLINED
    record.cosigned_at = timezone.now()
    record.cosigned_by = user
    record.cosign_comment = (comment or "").strip()
    record.cosign_nonce = ""
    if confirm:
        record.verification_tier = VerificationTier.PROVIDER_ATTESTED
    record.save(
        update_fields=[
            "cosign_status",
            "cosigned_at",
            "cosigned_by",
            "cosign_comment",
            "cosign_nonce",
            "verification_tier",
            "modified_at",
        ]
    )
    kind = RecordEvent.Kind.COSIGNED if confirm else RecordEvent.Kind.COSIGN_DECLINED
    _event(record, kind, actor=user, comment=record.cosign_comment)
    signals.rsc_cosignature_decided.send(sender=RSCSession, record=record)
    return record

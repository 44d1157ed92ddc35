"""How a record comes into being: the checks every new record passes, the rows, trail event
and signal it gets, and issuing the record of a training finished on Attune.

The other ways in (``external``, ``rsc``) use ``validate_facts``, ``checked_facilitators`` and
``announce_issued`` from here.
"""

import datetime
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.competencies.models import SubArea
from lms.competencies.selectors import current_areas
from lms.organizations.models import Facilitator, Organization

from .. import signals
from ..facts import AreaHours, FacilitatorSnapshot
from ..models import (
    DeliveryFormat,
    LiveAttendance,
    PlatformCompletion,
    RecordAgeBand,
    RecordAreaHours,
    RecordEvent,
    RecordFacilitator,
    TrainingRecord,
    VerificationTier,
)
from .record_events import add_record_event

QUARTER = Decimal("0.25")
MAX_HOURS = Decimal("1000")
KINDS = {
    "platform": (PlatformCompletion, VerificationTier.PLATFORM_VERIFIED),
    "live_attendance": (LiveAttendance, VerificationTier.ATTENDANCE_VERIFIED),
}


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
        errors.setdefault(field, []).append(_("Enter a number of clock hours."))
        return None
    if not hours.is_finite() or hours <= 0:
        errors.setdefault(field, []).append(_("Hours must be more than zero."))
        return None
    if hours > MAX_HOURS:
        errors.setdefault(field, []).append(
            _("Hours must be at most %(max)s.") % {"max": MAX_HOURS}
        )
        return None
    if hours % QUARTER != 0:
        errors.setdefault(field, []).append(_("Hours are counted in quarter hours (0.25 steps)."))
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
        errors["completed_on"] = [_("Enter the date the training was completed.")]
    elif completed_on > learner_today(learner):
        errors["completed_on"] = [_("The completion date cannot be in the future.")]
    duration = _hours(duration_hours, field="duration_hours", errors=errors)
    if delivery_format is not None and delivery_format not in DeliveryFormat.values:
        errors["delivery_format"] = [_("Choose a delivery format.")]
    if age_band not in RecordAgeBand.values:
        errors["age_band"] = [_("Choose an age band.")]

    areas = {a.code: a for a in current_areas()}
    resolved: list[AreaHours] = []
    for code, raw in (area_hours or {}).items():
        area = areas.get(code)
        if area is None:
            errors.setdefault("area_hours", []).append(
                _("Unknown competency area %(code)r.") % {"code": code}
            )
            continue
        hours = _hours(raw, field="area_hours", errors=errors)
        if hours is not None:
            resolved.append(
                AreaHours(area.code, area.name, area.order, hours, area.translated_names)
            )
    if require_areas and not area_hours:
        errors.setdefault("area_hours", []).append(
            _("Credit the hours to at least one competency area.")
        )
    if resolved and duration is not None and "area_hours" not in errors:
        total = sum((a.hours for a in resolved), Decimal(0))
        if total != duration:
            errors.setdefault("area_hours", []).append(
                _(
                    "Hours per competency area add up to %(total)s, "
                    "but the duration is %(duration)s."
                )
                % {"total": f"{total.normalize():f}", "duration": f"{duration.normalize():f}"}
            )
    if sub_area_codes:
        known = set(
            SubArea.objects.filter(area__in=areas.values(), code__in=sub_area_codes).values_list(
                "code", flat=True
            )
        )
        unknown = sorted(set(sub_area_codes) - known)
        if unknown:
            errors["sub_area_codes"] = [
                _("Unknown sub-areas: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
    if errors:
        raise ValidationError(errors)
    return duration, tuple(sorted(resolved, key=lambda a: (a.order, a.code)))


def checked_facilitators(facilitators) -> tuple[FacilitatorSnapshot, ...]:
    snapshots = tuple(FacilitatorSnapshot.coerce(f) for f in facilitators or ())
    if any(not f.name for f in snapshots):
        raise ValidationError({"facilitators": [_("Every facilitator needs a name.")]})
    ids = {f.facilitator_id for f in snapshots if f.facilitator_id is not None}
    if ids and Facilitator.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"facilitators": [_("A facilitator is not in the registry.")]})
    return snapshots


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


def announce_issued(record, *, actor=None, facilitators=(), area_hours=(), **detail) -> None:
    """The rows, audit event and signal that every new record gets, whatever made it."""
    _write_rows(record, facilitators=facilitators, area_hours=area_hours)
    add_record_event(record, RecordEvent.Kind.ISSUED, actor=actor, **detail)
    signals.record_issued.send(sender=type(record), record=record)


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
        raise ValidationError({"source_key": [_("A source key is required.")]})
    existing = TrainingRecord.objects.filter(learner=learner, source_key=source_key).first()
    if existing is not None:
        return existing
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Unknown record kind %(kind)r.") % {"kind": kind}]})
    model, default_tier = KINDS[kind]
    tier = verification_tier or default_tier
    if tier not in VerificationTier.values:
        raise ValidationError({"verification_tier": [_("Unknown verification tier.")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("A title is required.")]})
    if not (provider_name or "").strip():
        raise ValidationError({"provider_name": [_("A provider name is required.")]})
    duration, areas = validate_facts(
        learner=learner,
        completed_on=completed_on,
        duration_hours=duration_hours,
        area_hours=area_hours,
        delivery_format=delivery_format,
        age_band=age_band,
        sub_area_codes=sub_area_codes,
    )
    snapshots = checked_facilitators(facilitators)
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
            announce_issued(record, facilitators=snapshots, area_hours=areas, source_key=source_key)
    except IntegrityError:
        # A concurrent call won the unique (learner, source_key) race: return its record.
        existing = TrainingRecord.objects.filter(learner=learner, source_key=source_key).first()
        if existing is None:
            raise
        return existing
    return record

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
from lms.numbers import localized
from lms.organizations.models import Facilitator, Organization

from .. import signals
from ..credentials import issue_credential_when_committed
from ..credit_facts import CreditOutcome
from ..facts import AreaHours, FacilitatorSnapshot
from ..models import (
    CreditCategory,
    CreditClaim,
    CreditKind,
    DeliveryFormat,
    LiveAttendance,
    PlatformCompletion,
    RecordAgeBand,
    RecordAreaHours,
    RecordCredit,
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
                % {"total": localized(total), "duration": localized(duration)}
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


def checked_credits(credits) -> tuple[tuple[CreditOutcome, CreditKind], ...]:
    """Each outcome with its kind, or a ``ValidationError`` if one is inconsistent."""
    outcomes = tuple(credits or ())
    if not outcomes:
        return ()
    kinds = CreditKind.objects.in_bulk([o.kind_id for o in outcomes])
    errors = []
    seen = set()
    for outcome in outcomes:
        if outcome.kind_id not in kinds:
            errors.append(_("A credit kind is unknown."))
        elif outcome.kind_id in seen:
            errors.append(_("A credit kind is given twice."))
        seen.add(outcome.kind_id)
        try:
            amount = Decimal(str(outcome.amount))
        except (InvalidOperation, TypeError, ValueError):
            amount = Decimal(0)
        if not amount.is_finite() or amount <= 0 or amount > MAX_HOURS:
            errors.append(_("A credit amount must be more than zero."))
        if outcome.category not in CreditCategory.values:
            errors.append(_("A credit category is unknown."))
        if outcome.earned == bool(outcome.not_earned_reason.strip()):
            errors.append(_("A credit not earned needs a reason, and only such a credit."))
    if errors:
        raise ValidationError({"credits": list(dict.fromkeys(errors))})
    return tuple((o, kinds[o.kind_id]) for o in outcomes)


def _percent(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _write_credits(record, credits, *, actor=None) -> None:
    """One frozen row per kind; the claims the learner chose when completing."""
    for outcome, kind in credits:
        amount = Decimal(str(outcome.amount)).quantize(Decimal("0.01"))
        credit = RecordCredit.objects.create(
            record=record,
            kind=kind,
            kind_name=kind.name,
            awarding_body=kind.awarding_body,
            unit=kind.unit,
            amount=amount,
            contact_hours=(amount * kind.hours_per_unit).quantize(Decimal("0.01")),
            category=outcome.category,
            course_approval_number=outcome.course_approval_number.strip(),
            provider_approval_number=kind.approval_number,
            certificate_statement=kind.certificate_statement,
            license_profession=kind.license_profession,
            earned=outcome.earned,
            not_earned_reason="" if outcome.earned else outcome.not_earned_reason.strip()[:300],
            best_score_percent=_percent(outcome.best_score_percent),
            attendance_percent=_percent(outcome.attendance_percent),
        )
        number = outcome.license_number.strip()
        # A claim the learner cannot hold yet (not earned, or no license number for a kind
        # that needs one) is left for the record page, where the learner sees why.
        if not (outcome.claim and outcome.earned) or (kind.license_profession and not number):
            continue
        CreditClaim.objects.create(
            credit=credit,
            learner=record.learner,
            license_number=number if kind.license_profession else "",
            license_jurisdiction=outcome.license_jurisdiction.strip()
            if kind.license_profession
            else "",
        )
        add_record_event(
            record,
            RecordEvent.Kind.CREDIT_CLAIMED,
            actor=actor,
            credit=str(credit.verification_id),
            credit_kind=kind.name,
        )


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


def announce_issued(
    record, *, actor=None, facilitators=(), area_hours=(), credits=(), **detail
) -> None:
    """The rows, audit event and signal that every new record gets, whatever made it.
    ``credits``: checked outcomes with their kinds (``checked_credits``)."""
    _write_rows(record, facilitators=facilitators, area_hours=area_hours)
    add_record_event(record, RecordEvent.Kind.ISSUED, actor=actor, **detail)
    _write_credits(record, credits, actor=actor)
    issue_credential_when_committed(record)
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
    credits: Sequence[CreditOutcome] = (),
) -> TrainingRecord:
    """Issue the record of a finished course, webinar or live session.

    Idempotent per ``(learner, source_key)``: a second call, even a concurrent one, returns
    the record the first call made and changes nothing. ``area_hours`` maps competency-area
    codes to clock hours and must add up to ``duration_hours``. ``credits``: the training's
    credit offers with this learner's outcome in each, written with the record.
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
    credit_rows = checked_credits(credits)
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
            announce_issued(
                record,
                facilitators=snapshots,
                area_hours=areas,
                credits=credit_rows,
                source_key=source_key,
            )
    except IntegrityError:
        # A concurrent call won the unique (learner, source_key) race: return its record.
        existing = TrainingRecord.objects.filter(learner=learner, source_key=source_key).first()
        if existing is None:
            raise
        return existing
    return record

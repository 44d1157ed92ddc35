"""Enrollment: one service function per status transition, each checking where it starts.

waitlisted → active (promoted), active → completed, active or waitlisted → cancelled.
Live events hold a lock on the event row while seats are counted, so that the last seat and
the waitlist's head are decided by one transaction at a time.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from lms.organizations.private_cohorts import is_private_cohort

from ..models import (
    AccessCode,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    LiveEventPage,
    TrainingPage,
)
from ..pricing import is_paid
from ..selectors.enrollment import current_enrollment, seats_taken


class EnrollmentError(Exception):
    """An enrollment the learner asked for cannot happen; the message says why."""


def _is_event(training) -> bool:
    return LiveEventPage.objects.filter(pk=training.pk).exists()


def _create(*, learner, training, status, source, **fields) -> Enrollment:
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                learner=learner, training_id=training.pk, status=status, source=source, **fields
            )
    except IntegrityError:
        # Another request enrolled the learner first: theirs is the enrollment.
        existing = current_enrollment(learner=learner, training=training)
        if existing is None:
            raise
        return existing


def _open_for_enrollment(training) -> None:
    if not training.live:
        raise EnrollmentError(gettext("This training is not open for enrollment."))


@transaction.atomic
def _enroll(*, learner, training, source, **fields) -> Enrollment:
    """Enroll in a course or webinar, or register for a live event (seat or waitlist).

    A purchase is paid already: it is honoured even if the training closed or the event
    started since the order was placed (a refund is the association's decision)."""
    if not getattr(learner, "is_authenticated", False):
        raise EnrollmentError(gettext("Sign in to enroll."))
    if source != EnrollmentSource.SEAT and is_private_cohort(training_id=training.pk):
        raise EnrollmentError(gettext("This training is for one center's staff, on its seats."))
    if _is_event(training):
        return _register(learner=learner, event=training, source=source, **fields)
    existing = current_enrollment(learner=learner, training=training)
    if existing is not None:
        return existing
    if source != EnrollmentSource.PURCHASE:
        _open_for_enrollment(training)
    return _create(
        learner=learner,
        training=training,
        status=EnrollmentStatus.ACTIVE,
        source=source,
        **fields,
    )


def _register(*, learner, event, source, **fields) -> Enrollment:
    event = LiveEventPage.objects.select_for_update().get(pk=event.pk)
    existing = current_enrollment(learner=learner, training=event)
    if existing is not None:
        return existing
    if source != EnrollmentSource.PURCHASE:
        _open_for_enrollment(event)
        if event.starts_at is not None and event.starts_at <= timezone.now():
            raise EnrollmentError(gettext("This event has already started."))
    status = EnrollmentStatus.ACTIVE
    if event.capacity is not None and seats_taken(event=event) >= event.capacity:
        status = EnrollmentStatus.WAITLISTED
    return _create(learner=learner, training=event, status=status, source=source, **fields)


def enroll(*, learner, training: TrainingPage) -> Enrollment:
    """Self-enrollment in a training open to everyone. Enrolling twice returns the first."""
    existing = current_enrollment(learner=learner, training=training)
    if existing is not None:
        return existing
    if not training.open_enrollment:
        raise EnrollmentError(
            gettext("This training needs an access code or a seat from your center.")
        )
    if is_paid(training):
        raise EnrollmentError(gettext("This training has a fee: buy it to enroll."))
    source = EnrollmentSource.REGISTRATION if _is_event(training) else EnrollmentSource.SELF
    return _enroll(learner=learner, training=training, source=source)


@transaction.atomic
def enroll_with_code(*, learner, code: str) -> Enrollment:
    """Enroll with an access code an association handed out."""
    access = (
        AccessCode.objects.select_for_update()
        .filter(code__iexact=(code or "").strip(), active=True)
        .select_related("training")
        .first()
    )
    if access is None or (access.expires_at and access.expires_at <= timezone.now()):
        raise EnrollmentError(gettext("That access code is not valid."))
    training = access.training.specific
    existing = current_enrollment(learner=learner, training=training)
    if existing is not None:
        return existing
    if access.max_uses is not None and access.enrollments.count() >= access.max_uses:
        raise EnrollmentError(gettext("That access code has been used up."))
    if is_paid(training) and not access.covers_fee:
        raise EnrollmentError(
            gettext("That access code does not cover this training's fee: buy it to enroll.")
        )
    return _enroll(
        learner=learner, training=training, source=EnrollmentSource.ACCESS_CODE, access_code=access
    )


def enroll_by_seat(*, learner, training: TrainingPage, seat_ref: str) -> Enrollment:
    """Enroll a center's staff member on one of the center's seats (``seat_ref`` names it).

    Whether the seat may be used is the caller's decision; enrollment only records it.
    """
    seat_ref = (seat_ref or "").strip()
    if not seat_ref:
        raise ValidationError({"seat_ref": [gettext("A seat reference is required.")]})
    return _enroll(
        learner=learner, training=training, source=EnrollmentSource.SEAT, seat_ref=seat_ref
    )


def enroll_purchased(*, learner, training: TrainingPage, order_line_id: int) -> Enrollment:
    """Enroll the buyer of a paid order line (called by payments' fulfilment once Stripe
    confirmed the payment). Idempotent: a learner already enrolled keeps that enrollment,
    so a webhook delivered twice enrolls once."""
    return _enroll(
        learner=learner,
        training=training,
        source=EnrollmentSource.PURCHASE,
        order_line_id=order_line_id,
    )


def register_for_event(*, learner, event: LiveEventPage) -> Enrollment:
    """A seat at a live event, or a place on its waitlist when it is full."""
    return enroll(learner=learner, training=event)


def _move(enrollment: Enrollment, status: str, **fields) -> Enrollment:
    now = timezone.now()
    enrollment.status = status
    enrollment.status_changed_at = now
    for name, value in fields.items():
        setattr(enrollment, name, value)
    enrollment.save(update_fields=["status", "status_changed_at", *fields])
    return enrollment


@transaction.atomic
def cancel_enrollment(*, enrollment: Enrollment) -> Enrollment:
    """Unenroll (or leave the waitlist). A freed event seat goes to the waitlist's head."""
    event = LiveEventPage.objects.select_for_update().filter(pk=enrollment.training_id).first()
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.WAITLISTED):
        raise EnrollmentError(gettext("Only a current, unfinished enrollment can be cancelled."))
    freed_seat = enrollment.status == EnrollmentStatus.ACTIVE
    _move(enrollment, EnrollmentStatus.CANCELLED)
    if event is not None and freed_seat:
        promote_from_waitlist(event=event)
    return enrollment


def unenroll(*, learner, training) -> Enrollment | None:
    enrollment = current_enrollment(learner=learner, training=training)
    if enrollment is None or enrollment.status == EnrollmentStatus.COMPLETED:
        return None
    return cancel_enrollment(enrollment=enrollment)


def promote_from_waitlist(*, event: LiveEventPage) -> list[Enrollment]:
    """Give free seats to the waitlist, first come first served. Call under the event lock."""
    promoted = []
    waiting = Enrollment.objects.filter(
        training_id=event.pk, status=EnrollmentStatus.WAITLISTED
    ).order_by("enrolled_at", "pk")
    free = None if event.capacity is None else event.capacity - seats_taken(event=event)
    for enrollment in waiting:
        if free is not None and free <= 0:
            break
        promoted.append(_move(enrollment, EnrollmentStatus.ACTIVE))
        if free is not None:
            free -= 1
    return promoted


def complete_enrollment(*, enrollment: Enrollment, record) -> Enrollment:
    """Active → completed, keeping the record it earned. Call with the enrollment locked."""
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise EnrollmentError(gettext("Only an active enrollment can be completed."))
    return _move(enrollment, EnrollmentStatus.COMPLETED, completed_at=timezone.now(), record=record)


def note_activity(*, enrollment_id: int, page_id: int | None = None) -> bool:
    """Remember where the learner of an active enrollment was, so that they can resume
    there. False when the enrollment is not active (nothing is written)."""
    fields = {"last_activity_at": timezone.now()}
    if page_id is not None:
        fields["resume_page_id"] = page_id
    return bool(
        Enrollment.objects.filter(pk=enrollment_id, status=EnrollmentStatus.ACTIVE).update(**fields)
    )

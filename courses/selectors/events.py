"""What a live event's page shows: the visitor's registration, seats left, whether they
see where to go, and its times in the event's zone."""

import zoneinfo

from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from ..models.learning import EnrollmentStatus
from .enrollment import current_enrollment, seats_taken


def registration(*, user, event):
    if not getattr(user, "is_authenticated", False):
        return None
    return current_enrollment(learner=user, training=event)


def seats_left(*, event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event=event), 0)


def can_facilitate(*, user, training) -> bool:
    """The people who run a training: its association's or provider's facilitators."""
    return any(
        user_can(user=user, action=Action.FACILITATE, organization=org)
        for org in {training.owning_association, training.provider}
        if org is not None
    )


def can_see_location(*, user, event, registered: bool) -> bool:
    """Registrants see where to go; so do the people who run the event."""
    return registered or can_facilitate(user=user, training=event)


def event_context(*, event, user) -> dict:
    enrollment = registration(user=user, event=event)
    registered = enrollment is not None and enrollment.status in (
        EnrollmentStatus.ACTIVE,
        EnrollmentStatus.COMPLETED,
    )
    try:
        zone = zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    return {
        "registered": registered,
        "waitlisted": enrollment is not None and enrollment.status == EnrollmentStatus.WAITLISTED,
        "seats_left": seats_left(event=event),
        "show_location": can_see_location(user=user, event=event, registered=registered),
        "can_facilitate": can_facilitate(user=user, training=event),
        "local_start": event.starts_at.astimezone(zone) if event.starts_at and zone else None,
        "local_end": event.ends_at.astimezone(zone) if event.ends_at and zone else None,
    }

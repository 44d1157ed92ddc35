"""Where a learner's enrollment in a training stands, and an event's taken seats.

It imports the enrollment model's own module, not the models package, so that the event
page's context (``selectors.events``) imports nothing that imports the page models.
"""

from django.utils import timezone
from django.utils.translation import gettext

from ..models.learning import CURRENT_STATUSES, Enrollment, EnrollmentStatus


def current_enrollment(*, learner, training) -> Enrollment | None:
    return Enrollment.objects.filter(
        learner=learner, training_id=training.pk, status__in=CURRENT_STATUSES
    ).first()


def seats_taken(*, event) -> int:
    return Enrollment.objects.filter(
        training_id=event.pk,
        status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED),
    ).count()


def purchase_refusal(*, training) -> str | None:
    """Why ``training`` cannot be sold now (a live event already started or full), or None.

    A buyer is never charged for a seat that does not exist: the checkout asks before it
    places the order (a seat taken between the order and the payment puts the buyer on the
    waitlist, which the association may refund).
    """
    event = training.specific
    if not hasattr(event, "capacity"):  # only live events have seats and a start
        return None
    if event.starts_at is not None and event.starts_at <= timezone.now():
        return gettext("This event has already started.")
    if event.capacity is not None and seats_taken(event=event) >= event.capacity:
        return gettext("This event is full.")
    return None

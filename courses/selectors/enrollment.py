"""Where a learner's enrollment in a training stands, and an event's taken seats.

It imports the enrollment model's own module, not the models package, so that the event
page's context (``selectors.events``) imports nothing that imports the page models.
"""

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

"""Center seats seen from the training side: the enrollment a seat brings, and its end.

``centers.services`` assigns and releases seats under the contract's lock and calls these
inside that transaction; they use the enrollment services' seat entry and cancellation.
"""

from django.utils.translation import gettext as _

from centers.values import SeatRefused
from courses.models import Enrollment, EnrollmentStatus, TrainingPage
from courses.services.enrollment import (
    EnrollmentError,
    cancel_enrollment,
    current_enrollment,
    enroll_by_seat,
)


def _name(learner) -> str:
    return learner.get_full_name() or learner.email


def enroll_on_seat(*, learner, training_id: int, seat_ref: str) -> Enrollment:
    """Enroll ``learner`` on the seat ``seat_ref``. Someone already enrolled (or finished)
    needs no seat: refused, so that the contract's seat is not spent for nothing."""
    training = TrainingPage.objects.filter(pk=training_id).first()
    if training is None:
        raise SeatRefused(_("This training no longer exists."))
    training = training.specific
    if current_enrollment(learner=learner, training=training) is not None:
        raise SeatRefused(
            _("%(person)s is already enrolled in “%(training)s” or has completed it.")
            % {"person": _name(learner), "training": training.title}
        )
    try:
        enrollment = enroll_by_seat(learner=learner, training=training, seat_ref=seat_ref)
    except EnrollmentError as error:
        # Translators: a person's name and why they cannot be enrolled.
        raise SeatRefused(
            _("%(person)s: %(reason)s") % {"person": _name(learner), "reason": error}
        ) from error
    if enrollment.seat_ref != seat_ref:
        raise SeatRefused(
            _("%(person)s enrolled in “%(training)s” a moment ago.")
            % {"person": _name(learner), "training": training.title}
        )
    return enrollment


def withdraw_from_seat(*, learner, training_id: int, seat_ref: str) -> bool:
    """Cancel the seat's enrollment. False when it is completed: the seat was used."""
    enrollment = (
        Enrollment.objects.filter(learner=learner, training_id=training_id, seat_ref=seat_ref)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .first()
    )
    if enrollment is None:
        return True
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return False
    cancel_enrollment(enrollment=enrollment)
    return True

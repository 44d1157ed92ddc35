"""Center seats seen from the training side: the enrollment a seat brings, and its end.

``centers.services`` assigns and releases seats under the contract's lock and calls these
inside that transaction; they use the enrollment services' seat entry and cancellation.
"""

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
        raise SeatRefused("This training no longer exists.")
    training = training.specific
    if current_enrollment(learner=learner, training=training) is not None:
        raise SeatRefused(
            f"{_name(learner)} is already enrolled in “{training.title}” or has completed it."
        )
    try:
        enrollment = enroll_by_seat(learner=learner, training=training, seat_ref=seat_ref)
    except EnrollmentError as error:
        raise SeatRefused(f"{_name(learner)}: {error}") from error
    if enrollment.seat_ref != seat_ref:
        raise SeatRefused(f"{_name(learner)} enrolled in “{training.title}” a moment ago.")
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

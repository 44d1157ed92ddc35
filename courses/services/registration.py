"""Registering for live events: the event page's buttons, on top of enrollment."""

from ..models import LiveEventPage
from .enrollment import EnrollmentError, register_for_event, unenroll

RegistrationError = EnrollmentError

__all__ = ["RegistrationError", "cancel_registration", "register_for_event"]


def cancel_registration(*, learner, event: LiveEventPage) -> bool:
    return unenroll(learner=learner, training=event) is not None

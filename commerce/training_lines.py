"""What a paid training line does: enroll its buyer (and a refund that cancels access
unenrolls them). Enrollment stays ``courses``' business; commerce only calls it."""

from courses.models import TrainingPage


def _training(line) -> TrainingPage:
    return TrainingPage.objects.get(pk=line.target_id).specific


def enroll_buyer(line) -> None:
    # Idempotent by courses' rule: enrolling someone already enrolled returns the enrollment.
    from courses.services.enrollment import enroll_purchased  # the prices part; lazily

    enroll_purchased(learner=line.order.buyer, training=_training(line), order_line_id=line.pk)


def unenroll_buyer(line) -> None:
    from courses.services.enrollment import unenroll

    unenroll(learner=line.order.buyer, training=_training(line))

"""What a paid bundle line does: enroll its buyer in each of the bundle's trainings (and a
refund that cancels access unenrolls them from those not yet completed)."""

from .models import Bundle


def _trainings(line):
    bundle = Bundle.objects.get(pk=line.target_id)
    return [training.specific for training in bundle.trainings.all()]


def enroll_in_bundle(line) -> None:
    # Idempotent by courses' rule: someone already enrolled keeps their enrollment.
    from courses.services.enrollment import enroll_purchased

    for training in _trainings(line):
        enroll_purchased(learner=line.order.buyer, training=training, order_line_id=line.pk)


def unenroll_from_bundle(line) -> None:
    from courses.services.enrollment import unenroll

    for training in _trainings(line):
        unenroll(learner=line.order.buyer, training=training)

"""Helpers for center tests: a center with its manager, contracts, staff who joined (and
perhaps share their portfolio), and finishing a training through the learning services."""

import datetime

from django.utils import timezone

from centers.services import add_staff, join_center
from courses.models import Enrollment, EnrollmentStatus
from courses.services.completion import evaluate_completion
from courses.services.evaluation import submit_evaluation
from lms.organizations.models import Contract, ContractTraining, Role
from tests.courses.factories import member
from tests.factories import CenterFactory

TODAY = timezone.localdate


def center_with_manager(slug="sunrise", name="Sunrise Family Services"):
    center = CenterFactory(slug=slug, name=name)
    return center, member(center, Role.MANAGER)


def contract(association, center, trainings, *, seats=5, private=(), status="active", **fields):
    """A contract including ``trainings`` (those in ``private`` as private cohorts)."""
    fields.setdefault("starts_on", TODAY() - datetime.timedelta(days=30))
    fields.setdefault("ends_on", TODAY() + datetime.timedelta(days=300))
    made = Contract.objects.create(
        association=association,
        center=center,
        title=fields.pop("title", f"{center.name} staff training"),
        seat_count=seats,
        status=status,
        **fields,
    )
    for i, training in enumerate(trainings):
        ContractTraining.objects.create(
            contract=made, training=training, private=training in private, sort_order=i
        )
    return made


def staff(center, email, *, name="", joined=True, share=False, program=None, by=None):
    """A person on ``center``'s roster; joined (and sharing their portfolio) if asked."""
    person = add_staff(center=center, email=email, name=name, program=program, by=by).staff
    if joined:
        person = join_center(staff=person, user=person.user, share_portfolio=share)
    return person


def line(made, training) -> ContractTraining:
    return made.trainings.get(training=training)


def finish(learner, training):
    """Complete ``training`` as a learner would: attest and let the rules issue the record."""
    enrollment = Enrollment.objects.get(
        learner=learner, training_id=training.pk, status=EnrollmentStatus.ACTIVE
    )
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)
    return evaluate_completion(enrollment_id=enrollment.pk)

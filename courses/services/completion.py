"""Completing an enrollment and issuing its training record, exactly once, when every rule
in ``selectors.completion`` holds."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from lms.records.services.issuing import issue_completion_record, learner_today

from ..models import Enrollment, EnrollmentStatus, LiveEventPage
from ..selectors.archive import record_source_key
from ..selectors.completion import completion_checks
from ..selectors.credits import credit_outcomes
from .enrollment import complete_enrollment

logger = logging.getLogger(__name__)


def source_key(training) -> str:
    return record_source_key(training.pk)


def _completed_on(*, enrollment, training):
    if isinstance(training, LiveEventPage) and training.ends_at is not None:
        import zoneinfo

        try:
            zone = zoneinfo.ZoneInfo(training.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        ended = training.ends_at.astimezone(zone) if zone else training.ends_at
        return min(ended.date(), learner_today(enrollment.learner))
    return learner_today(enrollment.learner)


def issue_record(*, enrollment, training):
    snapshot = training.completion_snapshot()
    is_event = isinstance(training, LiveEventPage)
    completed_on = _completed_on(enrollment=enrollment, training=training)
    return issue_completion_record(
        learner=enrollment.learner,
        source_key=source_key(training),
        title=snapshot.title,
        completed_on=completed_on,
        duration_hours=snapshot.contact_hours,
        provider_name=snapshot.provider_name,
        provider_organization=training.provider,
        facilitators=snapshot.facilitators,
        area_hours=snapshot.area_hours,
        topic=snapshot.topic,
        sub_area_codes=snapshot.sub_areas,
        dei=snapshot.counts_toward_dei,
        rsc_topic=snapshot.about_reflective_supervision,
        delivery_format=snapshot.delivery_format,
        age_band=snapshot.age_band,
        kind="live_attendance" if is_event else "platform",
        training_url=snapshot.training_url,
        # Whether this learner earned each credit kind the training offers, and which they
        # chose to claim; written with the record, in the same transaction.
        credits=credit_outcomes(
            enrollment=enrollment, training=training, completed_on=completed_on
        ),
    )


def evaluate_completion(*, enrollment_id: int) -> Enrollment | None:
    """Complete the enrollment and issue its record if every rule holds; else change nothing.

    Safe to call any number of times, from any number of threads: the enrollment row is
    locked (on SQLite the IMMEDIATE transaction holds the write lock), a completed enrollment
    is left alone, and the record is idempotent per learner and training anyway.
    """
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("learner", "training")
            .filter(pk=enrollment_id)
            .first()
        )
        if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
            return enrollment
        if not all(check.met for check in completion_checks(enrollment=enrollment)):
            return enrollment
        training = enrollment.training.specific
        try:
            with transaction.atomic():
                record = issue_record(enrollment=enrollment, training=training)
        except ValidationError as error:
            # The training's own data is incomplete (say, no contact hours): the learner's
            # progress stays, and the record is issued once an editor fixes the training.
            logger.error(
                "Cannot issue the record of enrollment %s (training %s): %s",
                enrollment.pk,
                training.pk,
                error,
            )
            return enrollment
        return complete_enrollment(enrollment=enrollment, record=record)

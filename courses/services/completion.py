"""Completion rules, and issuing the training record exactly once when they all hold."""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from lms.records.services.issuing import issue_completion_record, learner_today

from ..conf import config
from ..models import Attendance, Enrollment, EnrollmentStatus, EvaluationResponse, LiveEventPage
from ..selectors.learning import (
    coverage_percent,
    lessons_done,
    passed_quiz_ids,
    quizzes_for,
    training_content,
    watch_coverage,
)
from .enrollment import complete_enrollment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleCheck:
    key: str
    label: str
    met: bool
    detail: str = ""


def source_key(training) -> str:
    return f"attune:training:{training.pk}"


def event_minutes(event) -> int | None:
    if event.starts_at is None or event.ends_at is None:
        return None
    return max(int((event.ends_at - event.starts_at).total_seconds() // 60), 1)


def attendance_check(*, enrollment, event) -> RuleCheck:
    needed = event.minimum_attendance_percent or config().attendance_percent
    attendance = Attendance.objects.filter(enrollment=enrollment).first()
    length = event_minutes(event)
    if attendance is None or not length:
        return RuleCheck("attendance", f"Attend at least {needed}% of the event", False)
    share = attendance.minutes / length * 100
    return RuleCheck(
        "attendance",
        f"Attend at least {needed}% of the event",
        share >= needed,
        f"{attendance.minutes} of {length} minutes ({share:.0f}%)",
    )


def completion_checks(*, enrollment) -> list[RuleCheck]:
    """Each rule the training sets, and whether the learner meets it now."""
    training = enrollment.training.specific
    learner = enrollment.learner
    checks = []
    is_event = isinstance(training, LiveEventPage)
    if is_event:
        checks.append(attendance_check(enrollment=enrollment, event=training))
    else:
        content = training_content(training=training)
        if training.require_lessons and content.lessons:
            checks.append(
                RuleCheck(
                    "lessons",
                    "Finish every lesson",
                    lessons_done(enrollment=enrollment, lessons=content.lessons),
                )
            )
        if training.require_watch and content.recording_ids:
            needed = coverage_percent(training=training)
            coverage = watch_coverage(learner=learner, recording_ids=content.recording_ids)
            shares = [coverage.get(rid, 0.0) for rid in content.recording_ids]
            checks.append(
                RuleCheck(
                    "watch",
                    f"Watch at least {needed}% of each recording",
                    all(share * 100 >= needed for share in shares),
                    f"{min(shares) * 100:.0f}% watched" if len(shares) == 1 else "",
                )
            )
        required = content.required_quizzes()
        if training.require_post_test and required:
            quizzes = quizzes_for(training=training, slugs={q.slug for q in required})
            passed = passed_quiz_ids(learner=learner, quiz_ids=[q.pk for q in quizzes.values()])
            missing = [q.label for q in required if quizzes.get(q.slug) is None]
            if missing:
                logger.warning("Training %s names unknown quizzes: %s", training.pk, missing)
            checks.append(
                RuleCheck(
                    "post_test",
                    "Pass the post-test" if len(required) == 1 else "Pass every required quiz",
                    not missing and all(quizzes[q.slug].pk in passed for q in required),
                )
            )
    if training.require_evaluation or not is_event:
        label = "Submit the evaluation" if training.require_evaluation else "Attest"
        checks.append(
            RuleCheck(
                "evaluation",
                f"{label} and confirm you completed the training yourself",
                EvaluationResponse.objects.filter(enrollment=enrollment).exists(),
            )
        )
    return checks


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
    return issue_completion_record(
        learner=enrollment.learner,
        source_key=source_key(training),
        title=snapshot.title,
        completed_on=_completed_on(enrollment=enrollment, training=training),
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

"""Assignment and Grade Services: the platform's grade book hears of Attune's completions.

Completion is one fact: the record Attune issues (``lms.records.signals.record_issued``). For
every placement of that training the learner launched from a platform with a grade-book
column, one score is owed: the learner's best passing post-test score (per cent), or 100
when the training has no post-test. A first launch owes a progress report (started, no
score). Each is a ``GradeDelivery`` row queued once its transaction commits and sent by a
task (``interop.lti.tasks``) that retries with backoff while the platform is down; the
learner's request never waits on the platform.
"""

import dataclasses
import datetime
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from courses.models import QuizAttempt
from courses.selectors.archive import record_source_key
from lms.records.models import RecordStatus, TrainingRecord

from ..models import PlacementLaunch
from ..models_services import GradeDelivery, GradeKind, GradeStatus

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
MAX_ATTEMPTS = 12
# Platforms answer within seconds; one that hangs is retried like one that is down.
TIMEOUT_SECONDS = 15


def training_id_of(record) -> int | None:
    """The training a record was issued for, if a training of Attune's issued it."""
    prefix = record_source_key(0)[:-1]
    key = record.source_key or ""
    if not key.startswith(prefix):
        return None
    try:
        return int(key[len(prefix) :])
    except ValueError:
        return None


def completion_score(*, learner, training_id: int) -> Decimal:
    """The best passing post-test score (per cent), or 100 for a training without one."""
    best = QuizAttempt.objects.filter(
        learner=learner, training_id=training_id, passed=True, score_percent__isnull=False
    ).aggregate(best=Max("score_percent"))["best"]
    return Decimal(100) if best is None else Decimal(best)


def gradable_launches(*, learner, training_id: int):
    """The learner's launches of placements of this training that report to a grade book."""
    launches = (
        PlacementLaunch.objects.filter(
            user=learner,
            placement__training_id=training_id,
            lti_user__registration__is_active=True,
        )
        .exclude(placement__lineitem_url="")
        .select_related("placement")
    )
    return [launch for launch in launches if _gradable(launch)]


def _gradable(launch) -> bool:
    placement = launch.placement
    return bool(placement.lineitem_url) and SCORE_SCOPE in (placement.ags_scopes or [])


def _owe(*, launch, kind: str, **fields) -> GradeDelivery | None:
    """The delivery of ``kind`` for this launch's line item, made once (None if it existed)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return GradeDelivery.objects.create(
                launch=launch,
                lineitem_url=launch.placement.lineitem_url,
                kind=kind,
                timestamp=now,
                next_attempt_at=now,
                **fields,
            )
    except IntegrityError:
        return None


def queue_completion(*, record) -> list[int]:
    """Owe the platform a score for each placement the learner launched for this training;
    the new deliveries' ids, for the caller to send once the transaction commits
    (``tasks.send_after_commit``)."""
    training_id = training_id_of(record)
    if training_id is None:
        return []
    launches = list(gradable_launches(learner=record.learner, training_id=training_id))
    if not launches:
        return []
    score = completion_score(learner=record.learner, training_id=training_id)
    made = [
        _owe(launch=launch, kind=GradeKind.COMPLETION, record=record, score_given=score)
        for launch in launches
    ]
    return [delivery.pk for delivery in made if delivery is not None]


def queue_for_new_launch(*, launch) -> int | None:
    """A learner's first launch of a graded placement: the grade book hears that they
    started, or, if Attune already holds their record of the training, their score."""
    if not _gradable(launch):
        return None
    training_id = launch.placement.training_id
    record = (
        TrainingRecord.objects.filter(
            learner=launch.user,
            source_key=record_source_key(training_id),
            status=RecordStatus.VALID,
        ).first()
        if training_id
        else None
    )
    if record is not None:
        score = completion_score(learner=launch.user, training_id=training_id)
        delivery = _owe(launch=launch, kind=GradeKind.COMPLETION, record=record, score_given=score)
    elif GradeDelivery.objects.filter(launch=launch, kind=GradeKind.COMPLETION).exists():
        return None
    else:
        delivery = _owe(launch=launch, kind=GradeKind.PROGRESS)
    return None if delivery is None else delivery.pk


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def grade_of(delivery: GradeDelivery) -> Grade:
    grade = (
        Grade()
        .set_user_id(delivery.launch.lti_user.sub)
        .set_timestamp(_timestamp(delivery.timestamp))
    )
    if delivery.kind == GradeKind.COMPLETION:
        return (
            grade.set_score_given(float(delivery.score_given))
            .set_score_maximum(float(delivery.score_maximum))
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
        )
    return grade.set_activity_progress("InProgress").set_grading_progress("NotReady")


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min … capped at 6 h: a platform down for a night hears of it after."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


@dataclasses.dataclass(frozen=True)
class Attempt:
    status: str
    retry_in: datetime.timedelta | None = None


def _post(delivery: GradeDelivery) -> None:
    import requests

    registration = delivery.launch.lti_user.registration
    session = requests.Session()
    session.request = _with_timeout(session.request)
    connector = ServiceConnector(registration.to_registration(), requests_session=session)
    scopes = list(delivery.launch.placement.ags_scopes or [SCORE_SCOPE])
    service = AssignmentsGradesService(
        connector, {"scope": scopes, "lineitem": delivery.lineitem_url}
    )
    service.put_grade(grade_of(delivery), LineItem({"id": delivery.lineitem_url}))


def _with_timeout(request):
    def send(method, url, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return request(method, url, **kwargs)

    return send


def _refused_for_good(error: Exception) -> bool:
    """The platform answered that this score will never be taken (a line item deleted, a
    score refused): no point retrying for a day. A refused token, a timeout, too many
    requests or a server error are retried."""
    status = getattr(getattr(error, "response", None), "status_code", None)
    return status is not None and 400 <= status < 500 and status not in (401, 408, 429)


def _why(error: Exception) -> str:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        return f"HTTP {status}: {(getattr(response, 'text', '') or '')[:500]}"
    return f"{type(error).__name__}: {error}"[:1000]


def _take(delivery_id: int) -> GradeDelivery | None:
    """Lease a due delivery for one attempt (None if it is not due or not pending)."""
    with transaction.atomic():
        delivery = (
            GradeDelivery.objects.select_for_update(of=("self",))
            .select_related("launch__lti_user__registration", "launch__placement")
            .filter(pk=delivery_id, status=GradeStatus.PENDING)
            .first()
        )
        now = timezone.now()
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        if delivery.kind == GradeKind.PROGRESS and (
            GradeDelivery.objects.filter(launch=delivery.launch, kind=GradeKind.COMPLETION).exists()
        ):
            # The completion says more than "started", with a later timestamp anyway.
            delivery.status = GradeStatus.DELIVERED
            delivery.last_error = "superseded by the completion"
            delivery.save(update_fields=["status", "last_error"])
            return None
        delivery.attempts += 1
        # Held while the platform is called (outside any transaction), so that a second run
        # does not send it too; longer than the request may take.
        delivery.next_attempt_at = now + datetime.timedelta(seconds=4 * TIMEOUT_SECONDS)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def deliver(delivery_id: int) -> Attempt:
    """Send one owed score. Safe to run twice: a delivered score is not sent again, and a
    run finds the score another run is sending leased (``next_attempt_at``)."""
    delivery = _take(delivery_id)
    if delivery is None:
        current = GradeDelivery.objects.filter(pk=delivery_id).first()
        if current is None:
            return Attempt("missing")
        wait = None
        if current.status == GradeStatus.PENDING and current.next_attempt_at:
            wait = max(current.next_attempt_at - timezone.now(), datetime.timedelta(0))
        return Attempt(current.status, retry_in=wait)
    try:
        _post(delivery)
    except (LtiServiceException, LtiException, OSError, ValueError) as error:
        now = timezone.now()
        delivery.last_error = _why(error)
        if delivery.attempts >= MAX_ATTEMPTS or _refused_for_good(error):
            delivery.status = GradeStatus.FAILED
            delivery.next_attempt_at = None
            logger.error("Gave up sending LTI grade %s: %s", delivery.pk, delivery.last_error)
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            logger.warning(
                "LTI grade %s not delivered (attempt %s): %s",
                delivery.pk,
                delivery.attempts,
                delivery.last_error,
            )
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        retry = delivery.next_attempt_at - now if delivery.next_attempt_at else None
        return Attempt(delivery.status, retry_in=retry)
    delivery.status = GradeStatus.DELIVERED
    delivery.delivered_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_error"])
    return Attempt(delivery.status)


def due_deliveries() -> list[int]:
    return list(
        GradeDelivery.objects.filter(
            status=GradeStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:200]
    )

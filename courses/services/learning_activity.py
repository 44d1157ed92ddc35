"""What a learner does in a training, told to the association's learning record store as
xAPI statements (``lms.integrations.xapi``), for learners who share their learning activity
with the association that offers it. Courses know the training, the recording and the
enrollment; the statements are written and sent by the integration.

Each function here is called once from the service it names and never fails it: a beat or a
post-test is what matters, the statement is a courtesy. When the learner shares nothing, or
no store is switched on, a call costs one query; periodic beats cost none.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from lms.integrations.xapi import services as xapi
from lms.integrations.xapi import statements
from lms.integrations.xapi.selectors import stores_for
from lms.records.links import public_url
from media_pipeline.models import Recording

from ..models import Enrollment
from ..selectors.ownership import association_for_page

logger = logging.getLogger(__name__)


def _training(page) -> statements.Activity:
    return statements.Activity(id=page.full_url or public_url(page.url or "/"), name=page.title)


def _safely(what: str, work) -> None:
    try:
        with transaction.atomic():
            work()
    except Exception:
        logger.exception("Could not queue xAPI statements for %s", what)


def watched(*, learner_id, token: dict, beat, outcome, progress, ranges, coverage_goal) -> None:
    """A beat was stored: the player's event (played, paused, seeked) and, for the beat that
    reached the training's coverage, ``completed``."""
    verbs = [statements.PLAYER_EVENTS[beat.event]] if beat.event else []
    if outcome.goal_reached:
        verbs.append("completed")
    if not verbs or not token.get("e"):
        return

    def work():
        stores = {s.association_id for s in stores_for(learner_id=learner_id)}
        if not stores:
            return
        enrollment = Enrollment.objects.select_related("training").filter(pk=token["e"]).first()
        association = enrollment and association_for_page(page=enrollment.training)
        if association is None or association.pk not in stores:
            return
        recording = Recording.objects.filter(pk=token.get("r")).only("key", "title").first()
        if recording is None:
            return
        learner = get_user_model().objects.only("pk", "email").get(pk=learner_id)
        segments = tuple((float(a), float(b)) for a, b in ranges)
        time = beat.position if beat.position is not None else (segments[-1][1] if segments else 0)
        for verb in verbs:
            event = statements.VideoEvent(
                verb=verb,
                key=f"{progress.pk}"
                if verb == "completed"
                else f"{progress.pk}:{beat.session}:{beat.seq}",
                video=statements.Activity(
                    id=public_url(f"/xapi/recordings/{recording.key}"), name=recording.title
                ),
                training=_training(enrollment.training),
                session=beat.session,
                time=progress.duration if beat.event == "ended" else time,
                length=progress.duration,
                progress=outcome.coverage,
                segments=segments,
                time_from=max((b for _a, b in beat.ranges), default=None),
                threshold=coverage_goal / 100 if coverage_goal else None,
                registration=statements.registration_for(enrollment.pk),
            )
            xapi.record_video_event(learner=learner, association_id=association.pk, event=event)

    _safely(f"progress {progress.pk}", work)


def post_test_submitted(*, attempt) -> None:
    """A post-test attempt was graded: ``attempted``, then ``passed`` or ``failed``."""

    def work():
        if not stores_for(learner_id=attempt.learner_id):
            return
        quiz, training = attempt.quiz, attempt.training
        association = association_for_page(page=training) if training else quiz.organization
        if association is None:
            return
        enrollment_id = None
        if training is not None:
            enrollment_id = (
                Enrollment.objects.filter(learner_id=attempt.learner_id, training=training)
                .order_by("-enrolled_at")
                .values_list("pk", flat=True)
                .first()
            )
        results = attempt.results or {}
        result = statements.PostTestResult(
            key=str(attempt.pk),
            test=statements.Activity(id=public_url(f"/xapi/post-tests/{quiz.pk}"), name=quiz.title),
            training=_training(training) if training is not None else None,
            number=attempt.number,
            correct=sum(1 for r in results.values() if r.get("correct")),
            questions=len(results),
            scaled=float(attempt.score_percent or 0) / 100,
            passed=attempt.passed,
            registration=statements.registration_for(enrollment_id),
            at=attempt.submitted_at,
        )
        xapi.record_post_test(learner=attempt.learner, association_id=association.pk, result=result)

    _safely(f"attempt {attempt.pk}", work)

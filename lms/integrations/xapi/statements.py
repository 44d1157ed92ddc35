"""The one place xAPI statements are written (xAPI 1.0.3).

Watching follows the ADL video profile (played, paused, seeked, completed with the time,
progress and played segments); post-test attempts and training completion use the cmi5
verbs (attempted, passed or failed with the score, completed). Every statement's id is a
uuid5 of what happened, so building it twice gives the same statement and the LRS keeps one.

The actor is an account on the association's site whose name is a pseudonym: a keyed hash
of the association and the learner, stable for that association and meaningless to any
other. The e-mail address is used only when the association asked for it.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from lms.integrations.tokens import integration_keys
from lms.records.links import public_url

ACTOR_SALT = "lms.integrations.xapi.actor"

VIDEO_PROFILE = "https://w3id.org/xapi/video"
VIDEO_TYPE = "https://w3id.org/xapi/video/activity-type/video"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"

VERBS = {
    "played": "https://w3id.org/xapi/video/verbs/played",
    "paused": "https://w3id.org/xapi/video/verbs/paused",
    "seeked": "https://w3id.org/xapi/video/verbs/seeked",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}

EXT_TIME = "https://w3id.org/xapi/video/extensions/time"
EXT_TIME_FROM = "https://w3id.org/xapi/video/extensions/time-from"
EXT_TIME_TO = "https://w3id.org/xapi/video/extensions/time-to"
EXT_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"
EXT_SEGMENTS = "https://w3id.org/xapi/video/extensions/played-segments"
EXT_SESSION = "https://w3id.org/xapi/video/extensions/session-id"
EXT_LENGTH = "https://w3id.org/xapi/video/extensions/length"
EXT_THRESHOLD = "https://w3id.org/xapi/video/extensions/completion-threshold"
EXT_ATTEMPT = "https://attune.example/xapi/extensions/attempt-number"

#: What the player reports (the heartbeat's ``event``) -> the video profile's verb.
PLAYER_EVENTS = {"play": "played", "pause": "paused", "ended": "paused", "seeking": "seeked"}


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    type: str = COURSE_TYPE


@dataclass(frozen=True)
class Learner:
    """Who the statement is about, as the association's store may know them."""

    pk: int
    email: str


@dataclass(frozen=True)
class Store:
    """What of the store the statement depends on."""

    association_id: int
    home_page: str
    share_email: bool = False


@dataclass(frozen=True)
class VideoEvent:
    verb: str  # played, paused, seeked or completed
    key: str  # what identifies this one event (the learner's row, page session and beat)
    video: Activity
    training: Activity | None
    session: str
    time: float
    length: float
    progress: float  # 0..1, the credited share of the recording
    segments: tuple[tuple[float, float], ...] = ()
    time_from: float | None = None
    threshold: float | None = None  # the coverage the training needs, 0..1
    registration: uuid.UUID | None = None
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class PostTestResult:
    key: str  # the attempt's id
    test: Activity
    training: Activity | None
    number: int
    correct: int
    questions: int
    scaled: float  # 0..1
    passed: bool
    registration: uuid.UUID | None = None
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class TrainingCompletion:
    key: str  # the record's id
    training: Activity
    hours: float | None = None
    registration: uuid.UUID | None = None
    at: datetime.datetime | None = None


def namespace() -> uuid.UUID:
    """This installation's namespace for statement ids, registrations and pseudonyms
    (``ATTUNE_XAPI_NAMESPACE``, else derived from its public address): the ids of two
    installations, say staging and production, never meet in one LRS."""
    configured = getattr(settings, "ATTUNE_XAPI_NAMESPACE", "")
    return uuid.UUID(configured) if configured else uuid.uuid5(uuid.NAMESPACE_URL, public_url("/"))


def statement_id(*, association_id: int, key: str) -> uuid.UUID:
    return uuid.uuid5(namespace(), f"{association_id}:{key}")


def registration_for(enrollment_id) -> uuid.UUID | None:
    """The registration of a learner's enrollment: stable for the enrollment."""
    return uuid.uuid5(namespace(), f"enrollment:{enrollment_id}") if enrollment_id else None


def pseudonym(*, association_id: int, learner_id: int) -> str:
    key = integration_keys()[0]
    return salted_hmac(
        ACTOR_SALT, f"{namespace()}:{association_id}:{learner_id}", secret=key, algorithm="sha256"
    ).hexdigest()[:32]


def actor(*, store: Store, learner: Learner) -> dict:
    if store.share_email and learner.email:
        return {"objectType": "Agent", "mbox": f"mailto:{learner.email}"}
    name = pseudonym(association_id=store.association_id, learner_id=learner.pk)
    return {"objectType": "Agent", "account": {"homePage": store.home_page, "name": name}}


def _language() -> str:
    return (settings.LANGUAGE_CODE or "en").split("-")[0] or "en"


def _verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _activity(activity: Activity) -> dict:
    return {
        "objectType": "Activity",
        "id": activity.id,
        "definition": {"type": activity.type, "name": {_language(): activity.name[:250]}},
    }


def _timestamp(at) -> str:
    return (at or timezone.now()).astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def _seconds(value: float) -> float:
    return round(max(float(value), 0.0), 3)


def played_segments(segments) -> str:
    """The video profile's notation: ``start[.]end`` pairs joined by ``[,]``."""
    return "[,]".join(f"{_seconds(a)}[.]{_seconds(b)}" for a, b in segments)


def _duration(seconds: float) -> str:
    return f"PT{round(max(seconds, 0.0), 2)}S"


def _context(*, parent: Activity | None, category: str | None, registration, extensions=None):
    activities = {}
    if parent is not None:
        activities["parent"] = [_activity(parent)]
    if category:
        activities["category"] = [{"objectType": "Activity", "id": category}]
    context = {"contextActivities": activities} if activities else {}
    if registration is not None:
        context["registration"] = str(registration)
    if extensions:
        context["extensions"] = extensions
    return context


def _statement(*, store, learner, key, verb, obj, result, context, at) -> dict:
    statement = {
        "id": str(statement_id(association_id=store.association_id, key=key)),
        "actor": actor(store=store, learner=learner),
        "verb": _verb(verb),
        "object": _activity(obj),
        "timestamp": _timestamp(at),
    }
    if result:
        statement["result"] = result
    if context:
        statement["context"] = context
    return statement


def video_statement(*, store: Store, learner: Learner, event: VideoEvent) -> dict:
    video = Activity(event.video.id, event.video.name, VIDEO_TYPE)
    time = _seconds(min(event.time, event.length) if event.length else event.time)
    progress = round(min(max(event.progress, 0.0), 1.0), 3)
    extensions: dict = {EXT_SESSION: str(uuid.uuid5(namespace(), f"session:{event.session}"))}
    if event.verb == "seeked":
        time_from = _seconds(event.time_from if event.time_from is not None else time)
        result = {"extensions": {EXT_TIME_FROM: time_from, EXT_TIME_TO: time}}
    else:
        result = {"extensions": {EXT_TIME: time}}
    if event.verb in ("paused", "completed"):
        extensions[EXT_LENGTH] = _seconds(event.length)
        if event.threshold is not None:
            extensions[EXT_THRESHOLD] = round(event.threshold, 3)
        result["extensions"][EXT_PROGRESS] = progress
        result["extensions"][EXT_SEGMENTS] = played_segments(event.segments)
    if event.verb == "completed":
        result["completion"] = True
        result["duration"] = _duration(sum(b - a for a, b in event.segments))
    context = _context(
        parent=event.training,
        category=VIDEO_PROFILE,
        registration=event.registration,
        extensions=extensions,
    )
    return _statement(
        store=store,
        learner=learner,
        key=f"video:{event.key}:{event.verb}",
        verb=event.verb,
        obj=video,
        result=result,
        context=context,
        at=event.at,
    )


def post_test_statements(*, store: Store, learner: Learner, result: PostTestResult) -> list[dict]:
    """``attempted`` then ``passed`` or ``failed`` with the score."""
    test = Activity(result.test.id, result.test.name, ASSESSMENT_TYPE)
    extensions = {EXT_ATTEMPT: result.number}
    context = _context(parent=result.training, category=None, registration=result.registration) | {
        "extensions": extensions
    }
    verdict = "passed" if result.passed else "failed"
    score = {
        "scaled": round(min(max(result.scaled, 0.0), 1.0), 4),
        "raw": result.correct,
        "min": 0,
        "max": max(result.questions, result.correct),
    }
    attempted = _statement(
        store=store,
        learner=learner,
        key=f"post-test:{result.key}:attempted",
        verb="attempted",
        obj=test,
        result=None,
        context=context,
        at=result.at,
    )
    judged = _statement(
        store=store,
        learner=learner,
        key=f"post-test:{result.key}:{verdict}",
        verb=verdict,
        obj=test,
        result={"score": score, "success": result.passed, "completion": True},
        context=_context(
            parent=result.training, category=CMI5_CATEGORY, registration=result.registration
        )
        | {"extensions": extensions},
        at=result.at,
    )
    return [attempted, judged]


def completion_statement(*, store: Store, learner: Learner, completion: TrainingCompletion) -> dict:
    result: dict = {"completion": True, "success": True}
    if completion.hours:
        result["duration"] = f"PT{round(completion.hours, 2)}H"
    return _statement(
        store=store,
        learner=learner,
        key=f"training:{completion.key}:completed",
        verb="completed",
        obj=completion.training,
        result=result,
        context=_context(parent=None, category=CMI5_CATEGORY, registration=completion.registration),
        at=completion.at,
    )

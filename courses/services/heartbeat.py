"""The heartbeat endpoint's work: one locked read and one write per beat.

The page that shows a recording to an enrolled learner hands its player a signed watch token
naming the learner, the recording, their ``WatchProgress`` row once it exists, the enrollment
and the coverage the training needs. The first beat makes the row (pages only read) and
answers with a new token naming it, which the player sends from then on; with it a beat
needs no other lookup: the row is read with its learner (to check the session), the pure
accounting in ``courses.watch`` runs, and one conditional UPDATE stores the result. Only the
single beat that first reaches the coverage goes on to the completion rules.
"""

import dataclasses
import datetime
import functools
import json

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from media_pipeline.models import Recording

from .. import watch
from ..conf import config
from ..models import WatchProgress
from . import learning_activity
from .completion import evaluate_completion
from .progress import open_lesson_by_id

# What a beat reads: the accounting state and, to check the session, the learner's password
# hash and whether they are active.
PROGRESS_FIELDS = (
    "id",
    "learner_id",
    "duration",
    "ranges",
    "balance",
    "sessions",
    "beats",
    "first_beat_at",
    "last_beat_at",
    "wall_seconds",
    "claimed_seconds",
    "uncredited_seconds",
    "max_rate_claimed",
    "coverage_reached_at",
)
# Reads of a row another beat keeps changing, before the beat is refused (409).
MAX_TRIES = 5
TOKEN_SALT = "courses.watch-token"  # noqa: S105 - a signing salt, not a secret


class HeartbeatRefused(Exception):
    """The beat cannot be accepted (bad token, another user's row); nothing changed."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.status = status


@dataclasses.dataclass(frozen=True)
class HeartbeatOutcome:
    watched_seconds: float
    coverage: float
    credited: float
    duplicate: bool
    goal_reached: bool
    # The token to send from now on, when this beat made the learner's row.
    token: str | None = None


def ensure_progress(*, learner, recording) -> WatchProgress:
    """The learner's row for ``recording``, made by their first heartbeat on it."""
    progress, _ = WatchProgress.objects.get_or_create(
        learner_id=learner.pk, recording=recording, defaults={"duration": recording.duration or 0}
    )
    if not progress.duration and recording.duration:
        progress.duration = recording.duration
        progress.save(update_fields=["duration"])
    return progress


def watch_token(
    *,
    coverage_percent: int,
    progress: WatchProgress | None = None,
    learner=None,
    recording=None,
    enrollment=None,
    lesson=None,
) -> str:
    """The signed token a page hands its player: whose watching of which recording, the
    coverage the training needs, and the learner's row once it exists (before the first
    beat there is none: pages only read). ``lesson`` is the lesson page an active
    enrollment watches in, which the first beat of each visit marks in progress."""
    if progress is not None:
        payload = {"p": progress.pk, "l": progress.learner_id, "r": progress.recording_id}
    else:
        payload = {"l": learner.pk, "r": recording.pk}
    payload["c"] = coverage_percent
    if enrollment is not None:
        payload["e"] = enrollment.pk
    if lesson is not None:
        payload["s"] = lesson.pk
    return signing.dumps(payload, salt=TOKEN_SALT)


def read_token(token) -> dict:
    if not isinstance(token, str):
        raise HeartbeatRefused(gettext("The watch token is missing."), status=400)
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=config().watch_token_max_age)
    except signing.SignatureExpired as error:
        raise HeartbeatRefused(gettext("The page is too old: reload it."), status=409) from error
    except signing.BadSignature as error:
        raise HeartbeatRefused(gettext("The watch token is not valid.")) from error


def _epoch(value: datetime.datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _moment(value: float | None) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value is not None else None


# The beat's two statements are written out once from the models' metadata: building them
# with the ORM on every beat cost more than the rest of the beat together (see
# benchmarks/heartbeat.py). Everything else about watch progress uses the ORM.
@functools.cache
def _select_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    progress, user = WatchProgress._meta, get_user_model()._meta
    columns = ", ".join(f"p.{quote(progress.get_field(f).column)}" for f in PROGRESS_FIELDS)
    # Names come from model metadata; values are always parameters.
    return (
        f"SELECT {columns}, u.{quote(user.get_field('password').column)}, "  # noqa: S608
        f"u.{quote(user.get_field('is_active').column)}, "
        f"u.{quote(user.get_field('session_epoch').column)} "
        f"FROM {quote(progress.db_table)} p JOIN {quote(user.db_table)} u "
        f"ON u.{quote(user.pk.column)} = p.{quote(progress.get_field('learner').column)} "
        f"WHERE p.{quote(progress.pk.column)} = %s "
        f"AND p.{quote(progress.get_field('learner').column)} = %s"
    )


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _datetime(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _read(*, progress_id, learner_id) -> WatchProgress | None:
    """The progress row and its learner's session check fields, in one statement."""
    if not isinstance(progress_id, int):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(connection.vendor), [progress_id, int(learner_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(PROGRESS_FIELDS, row, strict=False))
    for name in ("ranges", "sessions"):
        values[name] = _json(values[name])
    for name in ("first_beat_at", "last_beat_at", "coverage_reached_at"):
        values[name] = _datetime(values[name])
    progress = WatchProgress(**values)
    progress.learner = get_user_model()(
        pk=values["learner_id"], password=row[-3], is_active=bool(row[-2]), session_epoch=row[-1]
    )
    return progress


def _write(*, progress_id: int, version: int, changes: dict) -> bool:
    """Store ``changes`` unless another beat was stored since ``version`` was read."""
    quote = connection.ops.quote_name
    meta = WatchProgress._meta
    assignments, params = [], []
    for name, value in changes.items():
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s AND {quote(meta.get_field('beats').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, progress_id, version])
        return cursor.rowcount == 1


def state_of(progress: WatchProgress) -> watch.WatchState:
    return watch.WatchState(
        ranges=tuple((float(a), float(b)) for a, b in progress.ranges),
        balance=progress.balance,
        first_beat_at=_epoch(progress.first_beat_at),
        last_beat_at=_epoch(progress.last_beat_at),
        wall_seconds=progress.wall_seconds,
        beats=progress.beats,
        sessions=dict(progress.sessions),
        claimed_seconds=progress.claimed_seconds,
        uncredited_seconds=progress.uncredited_seconds,
        max_rate_claimed=progress.max_rate_claimed,
    )


def _session_matches(session, learner) -> bool:
    """What Django's ``get_user`` checks, against the learner row read with the progress."""
    if str(session.get(SESSION_KEY)) != str(learner.pk) or not learner.is_active:
        return False
    return constant_time_compare(session.get(HASH_SESSION_KEY, ""), learner.get_session_auth_hash())


def record_heartbeat(*, session, token: dict, beat: watch.Beat, now=None) -> HeartbeatOutcome:
    """Apply one beat for the user of ``session`` (a Django session).

    Optimistic: read the row, run the accounting, and write only if no other beat was stored
    in between (the beat counter is the version). Another tab's beat landing first makes this
    one read again, so two beats never both count the same seconds or both cross the goal;
    no lock is held while Python works, which keeps SQLite's single writer free.
    """
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        raise HeartbeatRefused(gettext("Sign in to have your watching counted."), status=401)
    now = now or timezone.now()
    progress_id = token.get("p")
    new_token = None
    if progress_id is None:
        progress_id = _first_beat_row(session=session, user_id=user_id, token=token)
        new_token = signing.dumps({**token, "p": progress_id}, salt=TOKEN_SALT)
    for _ in range(MAX_TRIES):
        progress = _read(progress_id=progress_id, learner_id=user_id)
        if progress is None or not _session_matches(session, progress.learner):
            raise HeartbeatRefused(gettext("This watch token belongs to someone else."))
        outcome, changes = _apply(progress, token=token, beat=beat, now=now)
        outcome = dataclasses.replace(outcome, token=new_token)
        if changes is None:
            return outcome
        first_of_visit = beat.session not in progress.sessions
        if _write(progress_id=progress.pk, version=progress.beats, changes=changes):
            break
    else:
        raise HeartbeatRefused(
            gettext("Too many beats at once; the next one will count."), status=409
        )
    if first_of_visit and token.get("s") and token.get("e"):
        open_lesson_by_id(enrollment_id=token["e"], lesson_id=token["s"])
    if outcome.goal_reached and token.get("e"):
        evaluate_completion(enrollment_id=token["e"])
    learning_activity.watched(
        learner_id=user_id,
        token=token,
        beat=beat,
        outcome=outcome,
        progress=progress,
        ranges=changes["ranges"],
        coverage_goal=token.get("c"),
    )
    return outcome


def _first_beat_row(*, session, user_id, token) -> int:
    """The id of the learner's row for the token's recording, made now if this is the first
    beat: the page that handed out the token only read."""
    learner = (
        get_user_model()
        .objects.filter(pk=token.get("l") if str(token.get("l")) == str(user_id) else None)
        .only("pk", "password", "is_active", "session_epoch")
        .first()
    )
    if learner is None or not _session_matches(session, learner):
        raise HeartbeatRefused(gettext("This watch token belongs to someone else."))
    recording = Recording.objects.filter(pk=token.get("r")).only("pk", "duration").first()
    if recording is None:
        raise HeartbeatRefused(gettext("This recording is no longer available."), status=404)
    return ensure_progress(learner=learner, recording=recording).pk


def _apply(progress, *, token, beat, now) -> tuple[HeartbeatOutcome, dict | None]:
    """The outcome of ``beat`` on ``progress``, and the columns to store (None: nothing)."""
    settings = config()
    policy = watch.Policy(max_rate=settings.watch_max_rate, max_gap=settings.watch_max_gap)
    before = state_of(progress)
    result = watch.apply_beat(
        before, beat=beat, now=now.timestamp(), duration=progress.duration, policy=policy
    )
    state = result.state
    coverage = state.coverage(progress.duration)
    goal = int(token.get("c") or settings.watch_coverage_percent)
    # Only the beat that crosses the training's goal runs the completion rules.
    goal_reached = not result.duplicate and (
        before.coverage(progress.duration) * 100 < goal <= coverage * 100
    )
    outcome = HeartbeatOutcome(
        watched_seconds=round(state.watched_seconds, 3),
        coverage=round(coverage, 4),
        credited=round(result.credited, 3),
        duplicate=result.duplicate,
        goal_reached=goal_reached,
    )
    if result.duplicate:
        return outcome, None
    changes = {
        "ranges": [list(r) for r in state.ranges],
        "watched_seconds": state.watched_seconds,
        "balance": state.balance,
        "sessions": state.sessions,
        "beats": state.beats,
        "first_beat_at": _moment(state.first_beat_at),
        "last_beat_at": _moment(state.last_beat_at),
        "wall_seconds": state.wall_seconds,
        "claimed_seconds": state.claimed_seconds,
        "uncredited_seconds": state.uncredited_seconds,
        "max_rate_claimed": state.max_rate_claimed,
    }
    if beat.position is not None:
        changes["position"] = min(max(beat.position, 0.0), progress.duration)
    if goal_reached and progress.coverage_reached_at is None:
        changes["coverage_reached_at"] = now
    return outcome, changes

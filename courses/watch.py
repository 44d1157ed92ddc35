"""Honest watch-time accounting, with no database: ranges in, credited seconds out.

The player reports which parts of a recording it played since its last beat. Nothing it says
is trusted beyond what a viewer could really have seen:

* ranges are clipped to the recording, merged, and only seconds not counted before are new;
* credit comes from a bucket that fills with wall-clock time (server time between beats of
  any tab of the same learner and recording) times the maximum playback rate, and holds at
  most ``max_gap`` seconds of it, so a long silence cannot be cashed in all at once and two
  tabs share one budget instead of doubling it;
* a beat already seen (same page session, same or lower sequence number) changes nothing.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

Range = tuple[float, float]

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_RANGES_PER_BEAT = 50
# Page sessions remembered per learner and recording (the oldest are forgotten first).
MAX_SESSIONS = 50
# Separate watched ranges kept per learner and recording. Honest viewing makes a handful
# (one per seek); a client scattering slivers cannot grow the evidence past this.
MAX_STORED_RANGES = 200


PLAYER_EVENTS = ("play", "pause", "seeking", "ended")


class BeatError(ValueError):
    """The beat is malformed; nothing is changed."""


@dataclass(frozen=True)
class Policy:
    max_rate: float = 2.0
    # The most wall-clock seconds one beat may account for; an honest player beats every ~10 s.
    max_gap: float = 30.0

    @property
    def bucket_size(self) -> float:
        return self.max_gap * self.max_rate


@dataclass(frozen=True)
class Beat:
    session: str
    seq: int
    ranges: tuple[Range, ...]
    rate: float = 1.0
    # Where playback is now, to resume there; not evidence of anything.
    position: float | None = None
    # What the player did that sent this beat (play, pause, seeking, ended; "" for the
    # periodic beat): told to learning record stores, never evidence of watching.
    event: str = ""

    @classmethod
    def parse(cls, data) -> "Beat":
        """Validate a beat as the player sends it (decoded JSON)."""
        if not isinstance(data, dict):
            raise BeatError("A beat is a JSON object.")
        session = data.get("session")
        if not isinstance(session, str) or not SESSION_ID.match(session):
            raise BeatError("The page session id is missing or malformed.")
        seq = data.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**31:
            raise BeatError("The beat sequence number must be a whole number.")
        raw_ranges = data.get("ranges", [])
        if not isinstance(raw_ranges, list) or len(raw_ranges) > MAX_RANGES_PER_BEAT:
            raise BeatError(f"Send at most {MAX_RANGES_PER_BEAT} ranges as a list.")
        ranges = []
        for item in raw_ranges:
            if (
                not isinstance(item, list | tuple)
                or len(item) != 2
                or not all(_is_number(v) for v in item)
            ):
                raise BeatError("Each range is a pair of numbers [start, end] in seconds.")
            ranges.append((float(item[0]), float(item[1])))
        rate = data.get("rate", 1.0)
        if not _is_number(rate) or rate <= 0:
            raise BeatError("The playback rate must be a positive number.")
        position = data.get("position")
        if position is not None and not _is_number(position):
            raise BeatError("The position must be a number of seconds.")
        event = data.get("event")
        return cls(
            session=session,
            seq=seq,
            ranges=tuple(ranges),
            rate=float(rate),
            position=None if position is None else float(position),
            event=event if event in PLAYER_EVENTS else "",
        )


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class WatchState:
    """What is known about one learner and one recording; stored as the audit evidence."""

    ranges: tuple[Range, ...] = ()
    balance: float = 0.0
    first_beat_at: float | None = None
    last_beat_at: float | None = None
    wall_seconds: float = 0.0
    beats: int = 0
    # page session id -> highest sequence number applied
    sessions: dict[str, int] = field(default_factory=dict)
    claimed_seconds: float = 0.0
    uncredited_seconds: float = 0.0
    max_rate_claimed: float = 0.0

    @property
    def watched_seconds(self) -> float:
        return total(self.ranges)

    def coverage(self, duration: float) -> float:
        return min(self.watched_seconds / duration, 1.0) if duration > 0 else 0.0


@dataclass(frozen=True)
class BeatResult:
    state: WatchState
    credited: float
    duplicate: bool = False


def merge(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Sorted, non-overlapping ranges covering the same seconds."""
    merged: list[list[float]] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def clip(ranges: Iterable[Range], *, duration: float) -> tuple[Range, ...]:
    """The parts of ``ranges`` inside the recording, merged."""
    return merge((max(start, 0.0), min(end, duration)) for start, end in ranges)


def total(ranges: Iterable[Range]) -> float:
    return sum(end - start for start, end in ranges)


def subtract(ranges: Sequence[Range], known: Sequence[Range]) -> tuple[Range, ...]:
    """The parts of merged ``ranges`` not in merged ``known``."""
    result: list[Range] = []
    for start, end in ranges:
        cursor = start
        for k_start, k_end in known:
            if k_end <= cursor:
                continue
            if k_start >= end:
                break
            if k_start > cursor:
                result.append((cursor, k_start))
            cursor = max(cursor, k_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return tuple(result)


def take(ranges: Sequence[Range], seconds: float) -> tuple[Range, ...]:
    """The first ``seconds`` of ``ranges``, in order."""
    result: list[Range] = []
    left = seconds
    for start, end in ranges:
        if left <= 0:
            break
        length = min(end - start, left)
        result.append((start, start + length))
        left -= length
    return tuple(result)


def _within_range_cap(known: tuple[Range, ...], credit: tuple[Range, ...]) -> tuple[Range, ...]:
    """The pieces of ``credit`` that keep the stored ranges within ``MAX_STORED_RANGES``:
    pieces that extend a range always fit, new islands only while there is room."""
    if len(known) + len(credit) <= MAX_STORED_RANGES:
        return credit
    kept, ranges = [], known
    for piece in credit:
        candidate = merge((*ranges, piece))
        if len(candidate) <= max(MAX_STORED_RANGES, len(ranges)):
            kept.append(piece)
            ranges = candidate
    return tuple(kept)


def apply_beat(
    state: WatchState, *, beat: Beat, now: float, duration: float, policy: Policy
) -> BeatResult:
    """The state after ``beat`` arrived at server time ``now`` (seconds since the epoch)."""
    last_seq = state.sessions.get(beat.session)
    if last_seq is not None and beat.seq <= last_seq:
        return BeatResult(state=state, credited=0.0, duplicate=True)

    elapsed = 0.0
    if state.last_beat_at is not None:
        elapsed = min(max(now - state.last_beat_at, 0.0), policy.max_gap)
    balance = min(state.balance + elapsed * policy.max_rate, policy.bucket_size)

    claimed = clip(beat.ranges, duration=duration)
    new = subtract(claimed, state.ranges)
    credit = _within_range_cap(state.ranges, take(new, balance))
    credited = total(credit)

    sessions = {k: v for k, v in state.sessions.items() if k != beat.session}
    sessions[beat.session] = beat.seq
    while len(sessions) > MAX_SESSIONS:
        sessions.pop(next(iter(sessions)))

    raw_claimed = sum(max(end - start, 0.0) for start, end in beat.ranges)
    return BeatResult(
        state=replace(
            state,
            ranges=merge((*state.ranges, *credit)),
            balance=round(balance - credited, 6),
            first_beat_at=state.first_beat_at if state.first_beat_at is not None else now,
            last_beat_at=max(now, state.last_beat_at or now),
            wall_seconds=state.wall_seconds + elapsed,
            beats=state.beats + 1,
            sessions=sessions,
            claimed_seconds=state.claimed_seconds + raw_claimed,
            uncredited_seconds=state.uncredited_seconds + max(raw_claimed - credited, 0.0),
            max_rate_claimed=max(state.max_rate_claimed, beat.rate),
        ),
        credited=credited,
    )

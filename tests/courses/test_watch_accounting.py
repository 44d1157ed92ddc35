"""The pure accounting against forged and honest heartbeats (no database)."""

import pytest

from courses.watch import (
    MAX_STORED_RANGES,
    Beat,
    BeatError,
    Policy,
    WatchState,
    apply_beat,
    merge,
    subtract,
    take,
    total,
)

DURATION = 600.0
POLICY = Policy(max_rate=2.0, max_gap=30.0)


class Viewer:
    """A page session that beats at given server times; records the ground truth it played."""

    def __init__(self, session="tab-aaaaaaaa"):
        self.session = session
        self.seq = 0

    def beat(self, state, *, at, ranges=(), rate=1.0, seq=None):
        beat = Beat(
            session=self.session,
            seq=self.seq if seq is None else seq,
            ranges=tuple(ranges),
            rate=rate,
        )
        self.seq += 1
        return apply_beat(state, beat=beat, now=at, duration=DURATION, policy=POLICY).state


def honest_viewing(rate, *, interval=10.0, start=1000.0, duration=DURATION):
    """Play the whole recording at ``rate``, beating every ``interval`` wall seconds."""
    viewer, state, t, position = Viewer(), WatchState(), start, 0.0
    state = viewer.beat(state, at=t)
    while position < duration:
        t += interval
        end = min(position + interval * rate, duration)
        state = viewer.beat(state, at=t, ranges=[(position, end)], rate=rate)
        position = end
    return state, t - start


def test_range_helpers():
    assert merge([(5, 10), (0, 3), (2, 6), (20, 20)]) == ((0, 10),)
    assert subtract(((0, 10), (20, 30)), ((5, 25),)) == ((0, 5), (25, 30))
    assert take(((0, 5), (10, 20)), 8) == ((0, 5), (10, 13))
    assert total(((0, 5), (10, 20))) == 15


def test_honest_1x_viewing_covers_everything():
    state, wall = honest_viewing(1.0)
    assert state.watched_seconds == DURATION
    assert wall == DURATION


def test_honest_2x_viewing_completes_in_half_the_time():
    state, wall = honest_viewing(2.0)
    assert state.coverage(DURATION) == 1.0
    assert wall == DURATION / 2


def test_seeking_to_the_end_credits_only_what_wall_time_allows():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    # Really watched 0-10, then seeks and claims the whole rest in one beat.
    state = viewer.beat(state, at=10, ranges=[(0, 10), (10, 600)])
    assert state.watched_seconds <= 10 * POLICY.max_rate
    assert state.coverage(DURATION) < 0.05


def test_claiming_16x_is_credited_at_most_at_2x():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    for i in range(10):  # 100 wall seconds, claiming 160 s of media per beat
        state = viewer.beat(state, at=10 * (i + 1), ranges=[(160 * i, 160 * (i + 1))], rate=16)
    assert state.watched_seconds <= 100 * POLICY.max_rate
    assert state.max_rate_claimed == 16


def test_two_tabs_share_one_budget():
    a, b, state = Viewer("tab-aaaaaaaa"), Viewer("tab-bbbbbbbb"), WatchState()
    state = a.beat(state, at=0)
    state = b.beat(state, at=0)
    for i in range(6):  # each tab claims 2x on different halves for 60 s
        t = 10 * (i + 1)
        state = a.beat(state, at=t, ranges=[(20 * i, 20 * (i + 1))], rate=2)
        state = b.beat(state, at=t + 0.1, ranges=[(300 + 20 * i, 300 + 20 * (i + 1))], rate=2)
    assert state.watched_seconds <= (60.1) * POLICY.max_rate
    assert state.wall_seconds == pytest.approx(60.1)


def test_two_tabs_on_the_same_part_count_it_once():
    a, b, state = Viewer("tab-aaaaaaaa"), Viewer("tab-bbbbbbbb"), WatchState()
    state = a.beat(state, at=0)
    state = b.beat(state, at=0)
    state = a.beat(state, at=10, ranges=[(0, 10)])
    state = b.beat(state, at=10, ranges=[(0, 10)])
    assert state.watched_seconds == 10


def test_a_replayed_beat_changes_nothing():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    state = viewer.beat(state, at=10, ranges=[(0, 10)], seq=1)
    again = apply_beat(
        state, beat=Beat(session=viewer.session, seq=1, ranges=((10, 30),)), now=40,
        duration=DURATION, policy=POLICY,
    )  # fmt: skip
    assert again.duplicate and again.state == state


def test_watching_the_same_part_again_adds_nothing():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    state = viewer.beat(state, at=10, ranges=[(0, 10)])
    state = viewer.beat(state, at=20, ranges=[(0, 10)])
    assert state.watched_seconds == 10


def test_ranges_past_the_duration_and_before_zero_are_ignored():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    state = viewer.beat(state, at=30, ranges=[(-50, 5), (595, 900), (700, 800)])
    assert state.ranges == ((0, 5), (595, 600))


def test_a_long_silence_cannot_be_cashed_in_at_once():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    state = viewer.beat(state, at=3600, ranges=[(0, 600)])
    assert state.watched_seconds == POLICY.bucket_size


def test_the_first_beat_credits_nothing():
    state = Viewer().beat(WatchState(), at=0, ranges=[(0, 30)])
    assert state.watched_seconds == 0


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"session": "short", "seq": 1},
        {"session": "tab-aaaaaaaa", "seq": -1},
        {"session": "tab-aaaaaaaa", "seq": True},
        {"session": "tab-aaaaaaaa", "seq": 1, "ranges": [[0, "x"]]},
        {"session": "tab-aaaaaaaa", "seq": 1, "ranges": [[0, float("nan")]]},
        {"session": "tab-aaaaaaaa", "seq": 1, "ranges": [[0, 1, 2]]},
        {"session": "tab-aaaaaaaa", "seq": 1, "ranges": [[0, 1]] * 51},
        {"session": "tab-aaaaaaaa", "seq": 1, "rate": 0},
    ],
)
def test_malformed_beats_are_refused(data):
    with pytest.raises(BeatError):
        Beat.parse(data)


def test_credited_never_exceeds_what_a_2x_viewer_could_see_in_random_forgeries():
    import random

    rng = random.Random(8)
    for _ in range(200):
        tabs = [Viewer(f"tab-{i}aaaaaaa") for i in range(rng.randint(1, 3))]
        state, t = WatchState(), 0.0
        for tab in tabs:
            state = tab.beat(state, at=t)
        for _ in range(rng.randint(1, 30)):
            t += rng.uniform(0, 40)
            tab = rng.choice(tabs)
            ranges = [
                (rng.uniform(-100, 700), rng.uniform(-100, 700)) for _ in range(rng.randint(0, 5))
            ]
            seq = rng.choice([tab.seq, max(tab.seq - 1, 0)])
            state = tab.beat(state, at=t, ranges=ranges, rate=rng.uniform(0.5, 16), seq=seq)
            assert state.watched_seconds <= state.wall_seconds * POLICY.max_rate + 1e-6
            assert state.watched_seconds <= DURATION


def test_scattered_slivers_cannot_grow_the_evidence_without_bound():
    viewer, state = Viewer(), WatchState()
    state = viewer.beat(state, at=0)
    for i in range(40):
        slivers = [
            (j * 0.5 + i * 0.01, j * 0.5 + i * 0.01 + 0.001) for j in range(i * 25, i * 25 + 25)
        ]
        state = viewer.beat(state, at=10 * (i + 1), ranges=slivers)
    assert len(state.ranges) <= MAX_STORED_RANGES
    # Extending a range that exists still counts.
    first_end = state.ranges[0][1]
    state = viewer.beat(state, at=1000, ranges=[(first_end, first_end + 5)])
    assert state.ranges[0][1] == first_end + 5

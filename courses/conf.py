"""Learning settings with their defaults, read from Django settings at call time."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class LearningConfig:
    # Playback faster than this is not credited beyond it.
    watch_max_rate: float
    # Wall-clock seconds a single heartbeat may account for (an honest player beats every
    # ``heartbeat_seconds``; the slack absorbs a slow network or a throttled background tab).
    watch_max_gap: float
    # Share of a recording to watch when a training does not set its own.
    watch_coverage_percent: int
    # Share of a live event to attend when the event does not set its own.
    attendance_percent: int
    heartbeat_seconds: int
    # Heartbeats one user may send per window, across all tabs.
    heartbeat_limit: int
    heartbeat_window_seconds: int
    # How long a page's watch token is accepted.
    watch_token_max_age: int


def config() -> LearningConfig:
    return LearningConfig(
        watch_max_rate=float(getattr(settings, "ATTUNE_WATCH_MAX_RATE", 2.0)),
        watch_max_gap=float(getattr(settings, "ATTUNE_WATCH_MAX_GAP_SECONDS", 30)),
        watch_coverage_percent=int(getattr(settings, "ATTUNE_WATCH_COVERAGE_PERCENT", 95)),
        attendance_percent=int(getattr(settings, "ATTUNE_ATTENDANCE_PERCENT", 80)),
        heartbeat_seconds=int(getattr(settings, "ATTUNE_HEARTBEAT_SECONDS", 10)),
        heartbeat_limit=int(getattr(settings, "ATTUNE_HEARTBEAT_LIMIT", 30)),
        heartbeat_window_seconds=int(getattr(settings, "ATTUNE_HEARTBEAT_WINDOW_SECONDS", 60)),
        watch_token_max_age=int(getattr(settings, "ATTUNE_WATCH_TOKEN_MAX_AGE", 24 * 3600)),
    )

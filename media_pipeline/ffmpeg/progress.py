"""Parse ffmpeg's ``-progress`` output (blocks of key=value lines) into percent done."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    seconds: float  # media time written so far
    percent: float
    speed: float | None  # multiple of real time, when ffmpeg reports it
    done: bool


def _seconds_from_clock(value: str) -> float | None:
    try:
        hours, minutes, seconds = value.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        return None


class ProgressParser:
    """Feed lines one at a time; each completed block (ending ``progress=...``) yields a
    :class:`Progress`. ``duration`` is the source's duration in seconds."""

    def __init__(self, duration: float):
        self.duration = duration
        self._block: dict[str, str] = {}
        self.latest: Progress | None = None

    def feed(self, line: str) -> Progress | None:
        key, sep, value = line.strip().partition("=")
        if not sep:
            return None
        self._block[key] = value.strip()
        if key != "progress":
            return None
        block, self._block = self._block, {}
        seconds = self._seconds(block)
        if seconds is None:
            seconds = self.latest.seconds if self.latest else 0.0
        done = block["progress"] == "end"
        percent = 100.0 if done else self._percent(seconds)
        speed_text = block.get("speed", "").rstrip("x").strip()
        try:
            speed = float(speed_text)
        except ValueError:
            speed = None
        self.latest = Progress(seconds=seconds, percent=percent, speed=speed, done=done)
        return self.latest

    def _seconds(self, block: dict[str, str]) -> float | None:
        # ffmpeg 5.1 writes out_time_us and (despite its name, also in microseconds)
        # out_time_ms; before the first packet both read "N/A".
        for key in ("out_time_us", "out_time_ms"):
            try:
                return max(0.0, int(block[key]) / 1_000_000)
            except (KeyError, ValueError):
                continue
        if "out_time" in block:
            return _seconds_from_clock(block["out_time"])
        return None

    def _percent(self, seconds: float) -> float:
        if self.duration <= 0:
            return 0.0
        return round(min(99.9, max(0.0, seconds / self.duration * 100)), 1)

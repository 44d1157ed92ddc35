"""What Attune accepts as a recording, decided from the probe (never from the file's name)."""

from dataclasses import dataclass

from .probe import ProbeResult

# ffprobe's demuxer names for the containers we accept: MP4/MOV/M4A share the "mov" demuxer,
# MKV/WebM the "matroska" one. Anything else (HLS or concat playlists, raw streams, images)
# is refused before ffmpeg ever opens it for decoding.
DEMUXERS = {
    "mov": ("mov", "mp4", "m4a", "3gp", "3g2", "mj2"),
    "matroska": ("matroska", "webm"),
}
ALLOWED_FORMAT_NAMES = frozenset(name for names in DEMUXERS.values() for name in names)
FORMAT_WHITELIST = ",".join(name for names in DEMUXERS.values() for name in names)
ACCEPTED = "MP4, MOV, M4A, MKV or WebM"


class RejectedMedia(ValueError):
    """The file is not a recording Attune can publish; ``reason`` is shown to the uploader."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024**3
    max_duration: float = 4 * 3600
    max_width: int = 4096
    max_height: int = 4096
    min_side: int = 16


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def format_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def check_size(size: int, limits: Limits) -> None:
    """Refuse empty and oversized files before any tool reads them."""
    if size <= 0:
        raise RejectedMedia("The file is empty.")
    if size > limits.max_bytes:
        raise RejectedMedia(
            f"The file is {format_size(size)}; the largest accepted is "
            f"{format_size(limits.max_bytes)}."
        )


def demuxer_for(probe: ProbeResult) -> str:
    """The one demuxer ffmpeg may use for this file (passed as ``-f``)."""
    for demuxer, names in DEMUXERS.items():
        if set(probe.format_names) <= set(names):
            return demuxer
    raise RejectedMedia(
        f"The file is not a supported recording (it looks like {probe.container}); "
        f"upload an {ACCEPTED} file."
    )


def validate(probe: ProbeResult, limits: Limits) -> None:
    """Raise :class:`RejectedMedia` with a reason a person can act on, or return."""
    if probe.size:
        check_size(probe.size, limits)
    demuxer_for(probe)
    if probe.video is None and probe.audio is None:
        raise RejectedMedia("The file has no audio or video track.")
    if probe.duration <= 0:
        raise RejectedMedia("The recording has no duration; it may be damaged or empty.")
    if probe.duration > limits.max_duration:
        raise RejectedMedia(
            f"The recording is {format_duration(probe.duration)} long; the longest accepted is "
            f"{format_duration(limits.max_duration)}."
        )
    if probe.video is not None:
        width, height = probe.display_size
        if min(width, height) < limits.min_side:
            raise RejectedMedia(f"The video is only {width}×{height} pixels.")
        if width > limits.max_width or height > limits.max_height:
            raise RejectedMedia(
                f"The video is {width}×{height} pixels; the largest accepted is "
                f"{limits.max_width}×{limits.max_height}."
            )

"""ffprobe's JSON turned into typed, validated facts about a recording."""

import json
from dataclasses import dataclass, field
from fractions import Fraction


class ProbeError(ValueError):
    """ffprobe's output does not describe a readable media file."""


@dataclass(frozen=True)
class Stream:
    index: int
    kind: str  # "video", "audio" or another ffprobe codec_type
    codec: str
    profile: str = ""
    width: int = 0
    height: int = 0
    pixel_format: str = ""
    frame_rate: Fraction | None = None
    sample_aspect_ratio: Fraction = Fraction(1)
    rotation: int = 0  # degrees clockwise, one of 0, 90, 180, 270
    channels: int = 0
    sample_rate: int = 0
    bit_rate: int = 0


@dataclass(frozen=True)
class ProbeResult:
    format_names: tuple[str, ...]
    duration: float
    size: int
    bit_rate: int
    streams: tuple[Stream, ...] = field(default_factory=tuple)

    @property
    def video(self) -> Stream | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio(self) -> Stream | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    @property
    def container(self) -> str:
        return ",".join(self.format_names)

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as a viewer sees the picture: rotation and pixel shape applied."""
        video = self.video
        if video is None:
            return (0, 0)
        width = round(video.width * video.sample_aspect_ratio)
        height = video.height
        if video.rotation in (90, 270):
            width, height = height, width
        return (width, height)


def _number(value, cast=float, default=0):
    try:
        return cast(value)
    except (TypeError, ValueError):
        return default


def _fraction(value) -> Fraction | None:
    """ffprobe writes rates as "30000/1001"; "0/0" means unknown."""
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return rate if rate > 0 else None


def _rotation(raw: dict) -> int:
    """Clockwise rotation to display the picture upright, from the display matrix or old tag."""
    degrees = 0
    for side_data in raw.get("side_data_list") or []:
        if "rotation" in side_data:
            degrees = _number(side_data["rotation"], int)
            break
    else:
        degrees = _number((raw.get("tags") or {}).get("rotate"), int)
    return round(degrees / 90) * 90 % 360


def _stream(raw: dict) -> Stream:
    kind = raw.get("codec_type") or "unknown"
    disposition = raw.get("disposition") or {}
    if kind == "video" and disposition.get("attached_pic"):
        # Cover art in an audio file is a still picture, not a video track.
        kind = "attached_picture"
    return Stream(
        index=_number(raw.get("index"), int),
        kind=kind,
        codec=raw.get("codec_name") or "",
        profile=raw.get("profile") or "",
        width=_number(raw.get("width"), int),
        height=_number(raw.get("height"), int),
        pixel_format=raw.get("pix_fmt") or "",
        frame_rate=_fraction(raw.get("avg_frame_rate")) or _fraction(raw.get("r_frame_rate")),
        sample_aspect_ratio=_fraction(str(raw.get("sample_aspect_ratio", "1")).replace(":", "/"))
        or Fraction(1),
        rotation=_rotation(raw),
        channels=_number(raw.get("channels"), int),
        sample_rate=_number(raw.get("sample_rate"), int),
        bit_rate=_number(raw.get("bit_rate"), int),
    )


def parse_probe(data: str | bytes | dict) -> ProbeResult:
    """Parse ``ffprobe -print_format json -show_format -show_streams`` output."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data or "{}")
        except json.JSONDecodeError as error:
            raise ProbeError("ffprobe did not return JSON") from error
    if not isinstance(data, dict):
        raise ProbeError("ffprobe did not return a JSON object")
    fmt = data.get("format")
    if not isinstance(fmt, dict) or not fmt.get("format_name"):
        raise ProbeError("ffprobe found no container format")
    streams = tuple(_stream(raw) for raw in data.get("streams") or [] if isinstance(raw, dict))
    duration = _number(fmt.get("duration"))
    if not duration:
        # Some containers (WebM written live) carry durations per stream only.
        raw_streams = [raw for raw in data.get("streams") or [] if isinstance(raw, dict)]
        duration = max((_number(raw.get("duration")) for raw in raw_streams), default=0)
    return ProbeResult(
        format_names=tuple(str(fmt["format_name"]).split(",")),
        duration=float(duration),
        size=_number(fmt.get("size"), int),
        bit_rate=_number(fmt.get("bit_rate"), int),
        streams=streams,
    )

"""Probe → validate → plan → encode, on local files. The worker and ``manage.py transcode``
both run exactly this; neither the database nor storage is touched here."""

import errno
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import runner
from .conf import PipelineConfig
from .ffmpeg import (
    Ladder,
    ProbeError,
    ProbeResult,
    Progress,
    RejectedMedia,
    Variant,
    check_size,
    demuxer_for,
    ladder_command,
    parse_master_playlist,
    parse_probe,
    plan_ladder,
    probe_command,
    remux_command,
    validate,
)
from .ffmpeg.boxes import check_complete
from .ffmpeg.commands import MASTER_PLAYLIST, POSTER, progressive_name

UNREADABLE = (
    "The file could not be read as audio or video: it may be damaged, cut short "
    "(an upload that did not finish) or not a recording at all."
)
OVERLOADING = (
    "Checking the file needed more memory or computing time than a recording ever should: "
    "it may be damaged or made to overload the server."
)
_KNOWN_FORMATS = {
    "hls": "an HLS playlist",
    "concat": "a concat list of other files",
    "ffmetadata": "a metadata file",
    "image2": "an image",
    "tty": "a text file",
    "yuv4mpegpipe": "raw video",
}
_REFUSED_FORMAT = re.compile(r"\[(\w+) @ [^\]]*\] Format not on whitelist")


class EncodeFailed(Exception):
    """ffmpeg finished but did not produce what was planned (its log says why, if it can:
    a muxer that could not write may still exit cleanly)."""

    def __init__(self, message: str, *, stderr_tail: str = ""):
        super().__init__(message)
        self.stderr_tail = stderr_tail


@dataclass(frozen=True)
class Inspection:
    probe: ProbeResult
    raw: dict  # ffprobe's JSON, kept so a later attempt can plan without probing again
    demuxer: str


@dataclass(frozen=True)
class Encoded:
    kind: str  # "ladder" or "remux"
    directory: Path
    master_playlist: str  # paths relative to ``directory``
    progressive: str | None
    poster: str | None
    variants: tuple[Variant, ...]
    wall_seconds: float
    returncode: int
    stderr_tail: str


def _probe_failure_reason(stderr: str) -> str:
    refused = _REFUSED_FORMAT.search(stderr)
    if refused:
        what = _KNOWN_FORMATS.get(refused.group(1), f"“{refused.group(1)}” data")
        return (
            f"The file is {what}, not a recording; upload an MP4, MOV, M4A, MKV or WebM file. "
            "Files it refers to are never read."
        )
    return UNREADABLE


def inspect(path: Path, *, config: PipelineConfig) -> Inspection:
    """Probe and validate a local file; raises :class:`RejectedMedia` with the reason."""
    path = Path(path)
    if not path.is_file():
        raise RejectedMedia("The upload is not a regular file.")
    check_size(path.stat().st_size, config.limits)
    returncode, stdout, stderr = runner.probe(
        probe_command(path, binary=config.ffprobe),
        timeout=config.probe_timeout,
        limits=config.sandbox.probe_limits(),
        isolate_network=config.sandbox.isolate_network,
    )
    if returncode < 0:
        raise RejectedMedia(OVERLOADING)
    if returncode != 0:
        raise RejectedMedia(_probe_failure_reason(stderr))
    try:
        raw = json.loads(stdout)
        probe = parse_probe(raw)
    except (ValueError, ProbeError) as error:
        raise RejectedMedia(UNREADABLE) from error
    validate(probe, config.limits)
    demuxer = demuxer_for(probe)
    if demuxer == "mov":
        with path.open("rb") as handle:
            check_complete(handle, path.stat().st_size)
    return Inspection(probe=probe, raw=raw, demuxer=demuxer)


def inspection_from_raw(raw: dict) -> Inspection:
    probe = parse_probe(raw)
    return Inspection(probe=probe, raw=raw, demuxer=demuxer_for(probe))


def plan(inspection: Inspection, *, config: PipelineConfig) -> Ladder:
    return plan_ladder(inspection.probe, segment_seconds=config.segment_seconds)


def _run(argv, inspection, *, config, on_tick) -> runner.RunResult:
    return runner.run_ffmpeg(
        argv,
        duration=inspection.probe.duration,
        wall_limit=config.wall_limit(inspection.probe.duration),
        stall_limit=config.stall_seconds,
        on_tick=on_tick,
        limits=config.sandbox.encode_limits(inspection.probe.duration),
        isolate_network=config.sandbox.isolate_network,
    )


# Less room than this left on the work disk after ffmpeg wrote too little: the disk filled.
FULL_DISK_BYTES = 1024**2


def _missing(message: str, out_dir: Path, log: str) -> Exception:
    """What to raise when ffmpeg exited cleanly without writing everything: the HLS muxer
    may carry on past failed writes, so a full disk is told by the room left on it."""
    if shutil.disk_usage(out_dir).free < FULL_DISK_BYTES:
        return OSError(errno.ENOSPC, f"No space left on device ({message})")
    return EncodeFailed(message, stderr_tail=log)


def _collect(kind, out_dir: Path, expected: set[str], result, *, progressive, poster) -> Encoded:
    master = out_dir / MASTER_PLAYLIST
    log = result.stderr_tail
    if not master.is_file():
        raise _missing("ffmpeg wrote no master playlist", out_dir, log)
    variants = tuple(parse_master_playlist(master.read_text()))
    missing = expected - {variant.name for variant in variants}
    if missing:
        raise _missing(f"the master playlist lacks {', '.join(sorted(missing))}", out_dir, log)
    if progressive and not (out_dir / progressive).is_file():
        raise _missing("ffmpeg wrote no progressive file", out_dir, log)
    return Encoded(
        kind=kind,
        directory=out_dir,
        master_playlist=MASTER_PLAYLIST,
        progressive=progressive,
        # A poster is a nicety: a recording still publishes if the frame could not be taken.
        poster=poster if poster and (out_dir / poster).is_file() else None,
        variants=variants,
        wall_seconds=result.wall_seconds,
        returncode=result.returncode,
        stderr_tail=result.stderr_tail,
    )


def encode_ladder(
    source: Path,
    inspection: Inspection,
    out_dir: Path,
    *,
    config: PipelineConfig,
    on_tick: Callable[[Progress | None], None] | None = None,
) -> Encoded:
    """The full ladder in one ffmpeg process, into the empty folder ``out_dir``."""
    ladder = plan(inspection, config=config)
    argv = ladder_command(
        source,
        demuxer=inspection.demuxer,
        ladder=ladder,
        out_dir=out_dir,
        preset=config.x264_preset,
        binary=config.ffmpeg,
    )
    result = _run(argv, inspection, config=config, on_tick=on_tick)
    expected = {rung.name for rung in ladder.rungs} | ({"audio"} if ladder.audio else set())
    return _collect(
        "ladder",
        out_dir,
        expected,
        result,
        progressive=progressive_name(ladder),
        poster=POSTER if ladder.poster else None,
    )


def remux(
    source: Path,
    inspection: Inspection,
    out_dir: Path,
    *,
    config: PipelineConfig,
    on_tick: Callable[[Progress | None], None] | None = None,
) -> Encoded:
    """Stream copy a browser-ready source into HLS: playable in seconds, full ladder later."""
    ladder = plan(inspection, config=config)
    name = f"{min(inspection.probe.display_size)}p"
    argv = remux_command(
        source,
        demuxer=inspection.demuxer,
        ladder=ladder,
        name=name,
        out_dir=out_dir,
        binary=config.ffmpeg,
    )
    result = _run(argv, inspection, config=config, on_tick=on_tick)
    return _collect("remux", out_dir, {name}, result, progressive=None, poster=None)

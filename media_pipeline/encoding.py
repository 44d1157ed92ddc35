"""Probe → validate → plan → encode, on local files. The worker and ``manage.py transcode``
both run exactly this; neither the database nor storage is touched here."""

import dataclasses
import errno
import json
import re
import shutil
import tempfile
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
    measure_variant,
    parse_master_playlist,
    parse_probe,
    plan_ladder,
    probe_command,
    redundant_variants,
    remux_command,
    rewrite_master_bandwidths,
    validate,
)
from .ffmpeg.boxes import check_complete
from .ffmpeg.commands import (
    AUDIO_NAME,
    MASTER_PLAYLIST,
    POSTER,
    VARIANT_PLAYLIST,
    fallback_command,
    fallback_source,
    progressive_name,
)
from .ffmpeg.playlists import playlist_uris

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
    return plan_ladder(
        inspection.probe,
        segment_seconds=config.segment_seconds,
        rate_control=config.rate_control,
    )


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


def _collect(
    kind, out_dir: Path, expected: set[str], result, *, progressive, poster, check_progressive=True
) -> Encoded:
    master = out_dir / MASTER_PLAYLIST
    log = result.stderr_tail
    if not master.is_file():
        raise _missing("ffmpeg wrote no master playlist", out_dir, log)
    variants = tuple(parse_master_playlist(master.read_text()))
    missing = expected - {variant.name for variant in variants}
    if missing:
        raise _missing(f"the master playlist lacks {', '.join(sorted(missing))}", out_dir, log)
    if check_progressive and progressive and not (out_dir / progressive).is_file():
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


# A rung whose pictures cost at most 10% or 16 kb/s more than the next lower rung's adds no
# detail (a still, flat picture): it is dropped. The 16 kb/s is what an empty picture costs
# more at 1080p than at 360p (skipped blocks, fragment headers); a slide with text costs
# several times that more at 1080p, since every segment starts with a keyframe of it.
REDUNDANT_MARGIN = 0.10
REDUNDANT_SLACK = 16_000


def _measure(out_dir: Path, name: str) -> tuple[int, int]:
    """(peak, average) bits per second of one rendition, from the files ffmpeg wrote."""
    folder = out_dir / name
    text = (folder / VARIANT_PLAYLIST).read_text()
    sizes = {uri: (folder / uri).stat().st_size for uri in playlist_uris(text)}
    return measure_variant(text, sizes)


def _measure_and_prune(out_dir: Path, variants, *, keep: frozenset[str]) -> set[str]:
    """Rewrite the master playlist's BANDWIDTH and AVERAGE-BANDWIDTH with what the segments
    measure (a video variant's include its audio group's, which plays alongside), drop the
    video rungs that add nothing, delete their files, and return their names."""
    audio = next((v for v in variants if v.kind == "audio" and v.name == AUDIO_NAME), None)
    audio_peak, audio_average = _measure(out_dir, audio.name) if audio else (0, 0)
    video = [v for v in variants if v.kind == "video"]
    measured = {v.uri: _measure(out_dir, v.name) for v in video}
    totals = {
        uri: (peak + audio_peak, average + audio_average)
        for uri, (peak, average) in measured.items()
    }
    if audio is not None:
        # ffmpeg also offers the audio alone as a variant (for a player that wants no
        # picture): its rates are the audio's own.
        totals[audio.uri] = (audio_peak, audio_average)
    # Compared on the pictures alone: the same audio in both would hide the difference.
    dropped = redundant_variants(
        [(v.name, measured[v.uri][1]) for v in video],
        keep=keep,
        margin=REDUNDANT_MARGIN,
        slack=REDUNDANT_SLACK,
    )
    master = out_dir / MASTER_PLAYLIST
    master.write_text(
        rewrite_master_bandwidths(
            master.read_text(),
            totals,
            drop=frozenset(v.uri for v in video if v.name in dropped),
        )
    )
    for name in dropped:
        shutil.rmtree(out_dir / name)
    return dropped


def _joined_fragments(out_dir: Path, name: str, into: Path) -> Path:
    """One rendition's init file and segments, in order, as a single fragmented MP4."""
    folder = out_dir / name
    with into.open("wb") as joined:
        for uri in playlist_uris((folder / VARIANT_PLAYLIST).read_text()):
            with (folder / uri).open("rb") as part:
                shutil.copyfileobj(part, joined)
    return into


def _copy_fallback(ladder, out_dir: Path, inspection, *, config, on_tick) -> runner.RunResult:
    """The progressive MP4 as a stream copy of its rung and the audio: no second encode."""
    rung = ladder.rungs[fallback_source(ladder)]
    scratch = Path(tempfile.mkdtemp(prefix="fallback-", dir=out_dir.parent))
    try:
        video = _joined_fragments(out_dir, rung.name, scratch / "video.mp4")
        audio = None
        if ladder.audio:
            audio = _joined_fragments(out_dir, AUDIO_NAME, scratch / "audio.mp4")
        argv = fallback_command(
            video, audio, out=out_dir / progressive_name(ladder), binary=config.ffmpeg
        )
        # The copy reports no progress of its own: the ladder's stays, the lease is renewed.
        keep_alive = (lambda progress: on_tick(None)) if on_tick else None
        return _run(argv, inspection, config=config, on_tick=keep_alive)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def encode_ladder(
    source: Path,
    inspection: Inspection,
    out_dir: Path,
    *,
    config: PipelineConfig,
    on_tick: Callable[[Progress | None], None] | None = None,
) -> Encoded:
    """The full ladder in one ffmpeg process, into the empty folder ``out_dir``; then the
    progressive MP4 copied from its rung (under capped CRF), the master playlist's bit rates
    measured from the segments, and the rungs that add nothing dropped."""
    out_dir = Path(out_dir)
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
    progressive = progressive_name(ladder)
    copied = fallback_source(ladder)
    encoded = _collect(
        "ladder",
        out_dir,
        expected,
        result,
        progressive=progressive,
        poster=POSTER if ladder.poster else None,
        check_progressive=copied is None,
    )
    if copied is not None:
        copy = _copy_fallback(ladder, out_dir, inspection, config=config, on_tick=on_tick)
        if not (out_dir / progressive).is_file():
            raise _missing("the progressive MP4 could not be copied", out_dir, copy.stderr_tail)
        result = dataclasses.replace(result, wall_seconds=result.wall_seconds + copy.wall_seconds)
    # The fallback's rung stays: the MP4 is its twin, and it is what a phone on a weak
    # connection plays.
    fallback = ladder.fallback
    keep = frozenset(
        r.name
        for r in ladder.rungs
        if fallback and (r.width, r.height) == (fallback.width, fallback.height)
    )
    _measure_and_prune(out_dir, encoded.variants, keep=keep)
    return dataclasses.replace(
        encoded,
        variants=tuple(parse_master_playlist((out_dir / MASTER_PLAYLIST).read_text())),
        wall_seconds=result.wall_seconds,
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

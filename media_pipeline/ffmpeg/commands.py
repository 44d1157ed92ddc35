"""argv for ffprobe and ffmpeg. Pure: builds lists of strings, runs nothing.

Every input is opened with a protocol whitelist of local files only and a format whitelist
of the containers Attune accepts, and named with the ``file:`` prefix so a path can never be
read as a URL. A playlist or concat list disguised as a video therefore fails to open
instead of making ffmpeg fetch what it points at.
"""

from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from .ladder import Ladder, Rung
from .validation import FORMAT_WHITELIST

MASTER_PLAYLIST = "master.m3u8"
VARIANT_PLAYLIST = "playlist.m3u8"
POSTER = "poster.jpg"
AUDIO_NAME = "audio"
AUDIO_GROUP = "audio"
# Every output drops the source's container metadata: phones write GPS positions there.
PRIVATE = {"map_metadata": -1}


def _input_options() -> dict:
    return {"protocol_whitelist": "file", "format_whitelist": FORMAT_WHITELIST}


def local_url(path: Path | str) -> str:
    return f"file:{Path(path).resolve()}"


def progressive_name(ladder: Ladder) -> str | None:
    """The fallback file's name, or None when the ladder makes none."""
    if ladder.audio_only:
        return "progressive.m4a"
    return "progressive.mp4" if ladder.fallback else None


def probe_command(source: Path | str, *, binary: str = "ffprobe") -> list[str]:
    return [
        binary, "-hide_banner", "-v", "error",
        "-protocol_whitelist", "file", "-format_whitelist", FORMAT_WHITELIST,
        "-print_format", "json", "-show_format", "-show_streams",
        local_url(source),
    ]  # fmt: skip


def _global_args() -> list[str]:
    return [
        "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
        "-nostats", "-progress", "pipe:1",
    ]  # fmt: skip


def _hls_options(out_dir: Path, segment_seconds: int, var_stream_map: str) -> dict:
    return {
        **PRIVATE,
        "f": "hls",
        "hls_time": segment_seconds,
        "hls_playlist_type": "vod",
        "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments",
        "hls_segment_filename": str(out_dir / "%v" / "segment_%05d.m4s"),
        "master_pl_name": MASTER_PLAYLIST,
        "var_stream_map": var_stream_map,
    }


def _audio_options(ladder: Ladder) -> dict:
    audio = ladder.audio
    return {"c:a": "aac", "b:a": audio.bitrate, "ac": audio.channels, "ar": audio.sample_rate}


# What superfast would still analyse that the ladder gains nothing from, measured on 2 cores
# by CPU time of the whole one-process ladder (benchmarks/transcode.py's clips, side by side):
# a fixed pattern of B-frames instead of deciding each one (keyframes are forced anyway),
# no sub-partitions or intra 4x4/8x8 in P/B macroblocks, no weighted B prediction. Together
# 0.91 of the CPU time on the noisy motion clip (0.92 on the webinar clip), motion bytes 0.95,
# every rung's SSIM within 0.0006 of before (webinar lowest 0.9932, motion 1080p 0.9774).
# B-frames are not kept as references either (no B-pyramid): x264 then skips the half-pel
# interpolation and border padding of one frame in four: 0.96 of the CPU time on a 20 s
# motion clip, 0.98 on the 60 s one (median of 3), bytes 0.99, every rung's SSIM within
# 0.0008 of before (motion 1080p 0.9787 to 0.9779). What superfast already has at its
# cheapest (me dia, subme 1, ref 1, no mixed refs, trellis 0, fast P-skip, lookahead 0, no
# mbtree) is left alone; what was measured and not taken is in docs/benchmarks.md.
LADDER_X264 = {"b_strategy": 0, "partitions": "none", "weightb": 0, "b-pyramid": "none"}


def _video_options(ladder: Ladder, preset: str) -> dict:
    return {
        "c:v": "libx264",
        "preset": preset,
        "profile:v": "high",
        # Keyframes at the same instants in every rung, so players can switch at any segment.
        "g": ladder.gop,
        "keyint_min": ladder.gop,
        "sc_threshold": 0,
        "force_key_frames": f"expr:gte(t,n_forced*{ladder.segment_seconds})",
        **LADDER_X264,
    }


def _rate_options(rung: Rung, ladder: Ladder, suffix: str = "") -> dict:
    if ladder.rate_control == "fixed":
        return {
            f"b:v{suffix}": rung.bitrate,
            f"maxrate:v{suffix}": rung.maxrate,
            f"bufsize:v{suffix}": rung.bufsize,
        }
    # Constant quality under a cap: a still slide costs a fraction of the nominal rate,
    # motion reaches it but no segment exceeds the rung's maxrate (see Rung.cap_buffer).
    return {
        f"crf:v{suffix}": rung.crf,
        f"maxrate:v{suffix}": rung.cap,
        f"bufsize:v{suffix}": rung.cap_buffer(ladder.segment_seconds),
    }


def fallback_source(ladder: Ladder) -> int | None:
    """Index of the rung whose encoded pictures become the progressive MP4 by a stream copy
    after the ladder (no second encode), or None when the fallback is encoded alongside the
    rungs: always under "fixed", which keeps the commands as they were."""
    if ladder.rate_control == "fixed" or ladder.fallback is None:
        return None
    for index, rung in enumerate(ladder.rungs):
        if (rung.width, rung.height) == (ladder.fallback.width, ladder.fallback.height):
            return index
    return None


# Below the top rung each rung is scaled from the one above it, at most 1.5 times larger:
# bilinear there makes the ladder about 3% faster on 2 cores, and every rung keeps an SSIM
# of at least 0.98 against the source scaled with the default scaler (benchmarks/transcode.py:
# 0.985 at 360p on the noisy motion clip, 0.993 on the webinar clip).
CASCADE_SCALER = "bilinear"


@dataclass
class _Pictures:
    rungs: list
    fallback: object | None
    poster: object | None


def _fan_out(stream, count: int) -> list:
    if count == 1:
        return [stream]
    split = stream.filter_multi_output("split", count)
    return [split[i] for i in range(count)]


def _video_graph(source_input, ladder: Ladder) -> _Pictures:
    """Decode once, then scale in a cascade: each rung is scaled from the one above it (the
    rungs come largest first), which costs less than scaling every rung from the source. The
    fallback reuses the pixels of the rung of its size instead of scaling them again (or,
    when it is copied from that rung after the ladder, needs no pixels here at all)."""
    video = (
        source_input["v:0"].filter("fps", fps=str(ladder.frame_rate)).filter("format", "yuv420p")
    )
    sizes = [(rung.width, rung.height) for rung in ladder.rungs]
    encoded = ladder.fallback is not None and fallback_source(ladder) is None
    fallback_size = (ladder.fallback.width, ladder.fallback.height) if encoded else None
    separate_fallback = fallback_size is not None and fallback_size not in sizes
    top = _fan_out(video, 1 + bool(ladder.poster) + separate_fallback)
    pictures = _Pictures(rungs=[], fallback=None, poster=None)
    if ladder.poster:
        pictures.poster = (
            top.pop()
            # Only the first frame at or after the chosen instant passes, so the scaler and
            # the JPEG encoder run once, not for every frame of an hour-long recording.
            .filter("select", f"isnan(prev_selected_t)*gte(t,{ladder.poster.at})")
            .filter("scale", ladder.poster.width, ladder.poster.height)
        )
    if separate_fallback:
        pictures.fallback = top.pop().filter("scale", *fallback_size).filter("setsar", 1)
    previous = top.pop()
    for index, size in enumerate(sizes):
        last = index == len(sizes) - 1
        shares_fallback = not separate_fallback and size == fallback_size
        # The top rung comes from the source (any size): the default scaler.
        scaled = previous.filter("scale", *size, **({"flags": CASCADE_SCALER} if index else {}))
        branches = _fan_out(scaled, 1 + (not last) + shares_fallback)
        pictures.rungs.append(branches.pop(0).filter("setsar", 1))
        if shares_fallback:
            pictures.fallback = branches.pop().filter("setsar", 1)
        if not last:
            previous = branches.pop()
    return pictures


def ladder_command(
    source: Path | str,
    *,
    demuxer: str,
    ladder: Ladder,
    out_dir: Path,
    preset: str = "superfast",
    binary: str = "ffmpeg",
) -> list[str]:
    """ONE ffmpeg process: decode once, scale to every rung, encode them side by side into
    fMP4 HLS with a master playlist and one shared AAC rendition, plus a progressive MP4 (or
    M4A) fallback and a poster frame when the ladder asks for them. A fallback copied from a
    rung (see :func:`fallback_source`) is left to :func:`fallback_command`."""
    out_dir = Path(out_dir)
    source_input = ffmpeg.input(local_url(source), f=demuxer, **_input_options())
    audio = source_input["a:0"] if ladder.audio else None
    pictures = _video_graph(source_input, ladder) if ladder.rungs else None

    streams, stream_map, options = [], [], {}
    if audio is not None:
        streams.append(audio)
        stream_map.append(f"a:0,agroup:{AUDIO_GROUP},name:{AUDIO_NAME}")
        options.update(_audio_options(ladder))
    group = f",agroup:{AUDIO_GROUP}" if audio is not None else ""
    for index, rung in enumerate(ladder.rungs):
        streams.append(pictures.rungs[index])
        stream_map.append(f"v:{index}{group},name:{rung.name}")
        options.update(_rate_options(rung, ladder, f":{index}"))
    if ladder.rungs:
        options.update(_video_options(ladder, preset))
    options.update(_hls_options(out_dir, ladder.segment_seconds, " ".join(stream_map)))
    outputs = [ffmpeg.output(*streams, str(out_dir / "%v" / VARIANT_PLAYLIST), **options)]

    progressive = progressive_name(ladder)
    if ladder.fallback and fallback_source(ladder) is None:
        fallback_streams = [pictures.fallback] + ([audio] if audio is not None else [])
        fallback_options = {
            **_video_options(ladder, preset),
            **_rate_options(ladder.fallback, ladder),
        }
        if audio is not None:
            fallback_options.update(_audio_options(ladder))
        outputs.append(
            ffmpeg.output(
                *fallback_streams,
                str(out_dir / progressive),
                movflags="+faststart",
                **PRIVATE,
                **fallback_options,
            )
        )
    elif ladder.audio_only:
        outputs.append(
            ffmpeg.output(
                audio,
                str(out_dir / progressive),
                movflags="+faststart",
                **PRIVATE,
                **_audio_options(ladder),
            )
        )

    if pictures is not None and pictures.poster is not None:
        outputs.append(
            ffmpeg.output(
                pictures.poster,
                str(out_dir / POSTER),
                **PRIVATE,
                **{"frames:v": 1, "update": 1, "q:v": 3},
            )
        )

    return [binary, *_global_args(), *ffmpeg.merge_outputs(*outputs).get_args()]


def fallback_command(
    video: Path | str,
    audio: Path | str | None,
    *,
    out: Path | str,
    binary: str = "ffmpeg",
) -> list[str]:
    """The progressive MP4 by stream copy of a rung's fragments (its init file and segments
    joined into one fragmented MP4) and the audio rendition's: seconds, not a second encode.
    ``+faststart`` puts the index first so a browser plays it while it downloads."""
    inputs = [ffmpeg.input(local_url(video), f="mov", **_input_options())]
    streams = [inputs[0]["v:0"]]
    if audio is not None:
        inputs.append(ffmpeg.input(local_url(audio), f="mov", **_input_options()))
        streams.append(inputs[1]["a:0"])
    args = ffmpeg.output(
        *streams, str(out), c="copy", movflags="+faststart", f="mp4", **PRIVATE
    ).get_args()
    return [binary, *_global_args(), *args]


def remux_command(
    source: Path | str,
    *,
    demuxer: str,
    ladder: Ladder,
    name: str,
    out_dir: Path,
    binary: str = "ffmpeg",
) -> list[str]:
    """Stream copy an already browser-ready source into a one-rung HLS: the fast first play."""
    out_dir = Path(out_dir)
    source_input = ffmpeg.input(local_url(source), f=demuxer, **_input_options())
    streams = [source_input["v:0"]]
    stream_map = "v:0"
    if ladder.audio is not None:
        streams.append(source_input["a:0"])
        stream_map = "v:0,a:0"
    hls = _hls_options(out_dir, ladder.segment_seconds, f"{stream_map},name:{name}")
    options = {"c": "copy", **hls}
    args = ffmpeg.output(*streams, str(out_dir / "%v" / VARIANT_PLAYLIST), **options).get_args()
    return [binary, *_global_args(), *args]


def speech_audio_command(
    source: Path | str,
    *,
    demuxer: str,
    out: Path | str,
    sample_rate: int = 16_000,
    binary: str = "ffmpeg",
) -> list[str]:
    """The first audio stream as raw mono signed 16-bit PCM at ``sample_rate``: what the
    speech engines read for automatic captions. The pictures are not decoded."""
    source_input = ffmpeg.input(local_url(source), f=demuxer, **_input_options())
    args = ffmpeg.output(
        source_input["a:0"],
        str(out),
        f="s16le",
        acodec="pcm_s16le",
        ac=1,
        ar=sample_rate,
        **PRIVATE,
    ).get_args()
    return [binary, *_global_args(), *args]

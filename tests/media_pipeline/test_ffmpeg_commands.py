"""argv snapshots, progress parsing and playlist parsing (pure layer).

Snapshots live in ``snapshots/*.json``; after a deliberate change to the commands, rewrite
them with ``ATTUNE_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

import dataclasses
import json
import os
from pathlib import Path

import pytest

from media_pipeline.ffmpeg import (
    ProgressParser,
    parse_master_playlist,
    parse_probe,
    plan_ladder,
    segment_durations,
)
from media_pipeline.ffmpeg.commands import (
    fallback_command,
    ladder_command,
    probe_command,
    remux_command,
)

from .probes import audio_stream, probe_json, video_stream

SNAPSHOTS = Path(__file__).parent / "snapshots"
OUT = Path("/work/out")


def matches_snapshot(name: str, argv: list[str]) -> bool:
    path = SNAPSHOTS / f"{name}.json"
    if os.environ.get("ATTUNE_UPDATE_SNAPSHOTS"):
        path.write_text(json.dumps(argv, indent=1) + "\n")
    assert path.exists(), f"no snapshot {path.name}: run with ATTUNE_UPDATE_SNAPSHOTS=1"
    return json.loads(path.read_text()) == argv


def ladder_for(*streams, rate_control="capped_crf"):
    return plan_ladder(parse_probe(probe_json(*streams)), rate_control=rate_control)


def test_probe_argv_reads_local_files_only():
    argv = probe_command("/uploads/recording.mp4")
    assert matches_snapshot("probe", argv)
    assert argv[argv.index("-protocol_whitelist") + 1] == "file"
    assert argv[-1] == "file:/uploads/recording.mp4"


def test_full_ladder_argv_is_one_process_with_every_output():
    # The fixed-rate ladder's argv is exactly what it was before capped CRF existed.
    ladder = ladder_for(video_stream(1920, 1080), audio_stream(), rate_control="fixed")
    argv = ladder_command("/work/source", demuxer="mov", ladder=ladder, out_dir=OUT)
    assert matches_snapshot("ladder-1080p", argv)

    assert argv.count("-i") == 1, "the source is decoded once"
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.count("fps=fps=") == 1
    # A cascade: each rung scaled once, from the rung above; the 480p pixels also feed the
    # MP4 fallback, and the poster gets the only frame its select lets through.
    scales = [
        part.split("scale=")[1].split("[")[0] for part in graph.split(";") if "scale=" in part
    ]
    assert scales == [
        "1920:1080",  # from the source: the default scaler
        "1280:720:flags=bilinear",  # from the rung above, at most 1.5 times larger
        "854:480:flags=bilinear",
        "640:360:flags=bilinear",
        "1280:720",  # the poster
    ]
    assert "select=isnan(prev_selected_t)" in graph
    assert argv[argv.index("-var_stream_map") + 1] == (
        "a:0,agroup:audio,name:audio v:0,agroup:audio,name:1080p v:1,agroup:audio,name:720p "
        "v:2,agroup:audio,name:480p v:3,agroup:audio,name:360p"
    )
    assert argv[argv.index("-hls_segment_type") + 1] == "fmp4"
    assert argv[argv.index("-hls_time") + 1] == "6"
    assert argv[argv.index("-g") + 1] == "180" and argv[argv.index("-sc_threshold") + 1] == "0"
    assert str(OUT / "progressive.mp4") in argv and str(OUT / "poster.jpg") in argv
    assert argv[argv.index("-f") + 1] == "mov", "the input demuxer is fixed from the probe"
    assert argv[argv.index("-protocol_whitelist") + 1] == "file"
    assert argv.count("-map_metadata") == 3, "no output keeps the source's metadata"
    assert argv[argv.index("-progress") + 1] == "pipe:1"


def test_portrait_ladder_argv():
    ladder = ladder_for(
        video_stream(1920, 1080, rotation=-90), audio_stream(channels=1), rate_control="fixed"
    )
    argv = ladder_command("/work/source", demuxer="mov", ladder=ladder, out_dir=OUT)
    assert matches_snapshot("ladder-rotated-phone", argv)
    graph = argv[argv.index("-filter_complex") + 1]
    assert "scale=1080:1920" in graph and "scale=360:640" in graph


def test_audio_only_argv_has_no_video_at_all():
    ladder = ladder_for(audio_stream(index=0), rate_control="fixed")
    argv = ladder_command("/work/source", demuxer="mov", ladder=ladder, out_dir=OUT)
    assert matches_snapshot("ladder-audio-only", argv)
    assert "-filter_complex" not in argv and "libx264" not in argv
    assert argv[argv.index("-var_stream_map") + 1] == "a:0,agroup:audio,name:audio"
    assert str(OUT / "progressive.m4a") in argv


def options(argv: list[str], name: str) -> dict[int, str]:
    """Per-rung values of ``-name:v:N`` in an argv, by rung index."""
    prefix = f"-{name}:v:"
    return {int(a[len(prefix) :]): argv[i + 1] for i, a in enumerate(argv) if a.startswith(prefix)}


def test_capped_crf_argv_gives_each_rung_a_quality_and_a_cap():
    ladder = ladder_for(video_stream(1920, 1080), audio_stream())
    argv = ladder_command("/work/source", demuxer="mov", ladder=ladder, out_dir=OUT)
    assert matches_snapshot("ladder-1080p-capped-crf", argv)
    assert options(argv, "crf") == {0: "23", 1: "22", 2: "21", 3: "21"}
    # The caps are the nominal rates the fixed ladder averaged; the buffer lets no 6 s
    # segment carry more than the rung's maxrate (7% over its cap).
    assert options(argv, "maxrate") == {0: "5000000", 1: "2800000", 2: "1400000", 3: "800000"}
    assert options(argv, "bufsize") == {0: "2100000", 1: "1176000", 2: "588000", 3: "336000"}
    assert not options(argv, "b"), "no average bit rate is imposed"
    # The MP4 fallback is copied from the 480p rung after the ladder: no fifth encode, and
    # the 480p pixels feed only their rung.
    assert not [arg for arg in argv if arg.endswith(".mp4")] and argv.count("libx264") == 1
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.count("scale=") == 5, "four rungs and the poster"
    assert argv[argv.index("-g") + 1] == "180" and argv[argv.index("-sc_threshold") + 1] == "0"
    # What superfast analyses that the ladder does not need: about 9% of its CPU time.
    assert argv[argv.index("-b_strategy") + 1] == "0"
    assert argv[argv.index("-partitions") + 1] == "none"
    assert argv[argv.index("-weightb") + 1] == "0"
    # No B-frame is a reference, so none needs half-pel planes: about 4% more.
    assert argv[argv.index("-b-pyramid") + 1] == "none"


def test_fixed_rate_argv_gives_each_rung_todays_average_rates():
    ladder = ladder_for(video_stream(1920, 1080), audio_stream(), rate_control="fixed")
    argv = ladder_command("/work/source", demuxer="mov", ladder=ladder, out_dir=OUT)
    assert options(argv, "b") == {0: "5000000", 1: "2800000", 2: "1400000", 3: "800000"}
    assert not options(argv, "crf")


def test_an_unknown_rate_control_is_refused():
    with pytest.raises(ValueError, match="rate_control"):
        ladder_for(video_stream(1920, 1080), rate_control="constant")


def test_fallback_argv_copies_the_rung_and_audio_with_the_index_first():
    argv = fallback_command("/work/v.mp4", "/work/a.mp4", out=OUT / "progressive.mp4")
    assert argv.count("-i") == 2 and argv[argv.index("-c") + 1] == "copy"
    assert argv[argv.index("-movflags") + 1] == "+faststart"
    assert argv[argv.index("-protocol_whitelist") + 1] == "file"
    assert "-map_metadata" in argv and argv[-1] == str(OUT / "progressive.mp4")


def test_a_ladder_without_fallback_or_poster_makes_only_hls():
    ladder = ladder_for(video_stream(1920, 1080), audio_stream())
    part = dataclasses.replace(ladder, rungs=ladder.rungs[:1], fallback=None, poster=None)
    argv = ladder_command("/work/source", demuxer="mov", ladder=part, out_dir=OUT)
    assert "split" not in argv[argv.index("-filter_complex") + 1]
    assert not [arg for arg in argv if arg.endswith((".mp4", ".jpg"))]


def test_remux_argv_copies_streams():
    ladder = ladder_for(video_stream(1280, 720), audio_stream())
    argv = remux_command("/work/source", demuxer="mov", ladder=ladder, name="720p", out_dir=OUT)
    assert matches_snapshot("remux", argv)
    assert argv[argv.index("-c") + 1] == "copy"
    assert argv[argv.index("-var_stream_map") + 1] == "v:0,a:0,name:720p"


PROGRESS = """frame=0
fps=0.00
out_time_us=N/A
out_time_ms=N/A
out_time=N/A
speed=N/A
progress=continue
frame=90
fps=45.10
out_time_us=3000000
out_time_ms=3000000
out_time=00:00:03.000000
speed=1.5x
progress=continue
frame=300
out_time_us=10000000
out_time_ms=10000000
out_time=00:00:10.000000
speed=1.52x
progress=end
"""


def test_progress_blocks_become_percent_of_duration():
    parser = ProgressParser(duration=12.0)
    reports = [p for line in PROGRESS.splitlines() if (p := parser.feed(line))]
    assert [(p.seconds, p.percent, p.speed, p.done) for p in reports] == [
        (0.0, 0.0, None, False),
        (3.0, 25.0, 1.5, False),
        (10.0, 100.0, 1.52, True),
    ]


def test_progress_never_claims_done_before_the_end_and_survives_noise():
    parser = ProgressParser(duration=10.0)
    assert parser.feed("garbage without an equals sign") is None
    for line in ("out_time=00:00:30.5", "progress=continue"):
        report = parser.feed(line)
    assert report.seconds == 30.5 and report.percent == 99.9 and not report.done
    assert ProgressParser(duration=0).feed("progress=continue").percent == 0.0


MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_audio",NAME="audio_0",DEFAULT=YES,URI="audio/playlist.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2",AUDIO="group_audio"
audio/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=3220800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="group_audio"
720p/playlist.m3u8
"""


def test_master_playlist_parsing():
    variants = parse_master_playlist(MASTER)
    assert [(v.name, v.kind, v.width, v.height, v.bandwidth, v.codecs) for v in variants] == [
        ("audio", "audio", 0, 0, 140800, "mp4a.40.2"),
        ("720p", "video", 1280, 720, 3220800, "avc1.64001f,mp4a.40.2"),
    ]


@pytest.mark.parametrize(
    ("text", "durations"),
    [("#EXTINF:6.000000,\na.m4s\n#EXTINF:1.5,\nb.m4s\n", [6.0, 1.5]), ("#EXTM3U\n", [])],
)
def test_segment_durations(text, durations):
    assert segment_durations(text) == durations

"""The pure layer: probe parsing, validation and ladder planning (no Django, no processes)."""

import ast
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import media_pipeline.ffmpeg
from media_pipeline.ffmpeg import (
    Limits,
    ProbeError,
    RejectedMedia,
    can_remux,
    demuxer_for,
    parse_probe,
    plan_ladder,
    validate,
)

from .probes import audio_stream, probe_json, video_stream


def sizes(ladder):
    return [(rung.name, rung.width, rung.height) for rung in ladder.rungs]


def test_the_layer_needs_no_django_and_starts_no_process():
    code = "import sys, media_pipeline.ffmpeg; print([m for m in sys.modules if 'django' in m])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    package = Path(media_pipeline.ffmpeg.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [getattr(node, "module", None) or ""] + [a.name for a in node.names]
                assert not {"subprocess", "os", "django"} & {n.split(".")[0] for n in names}, (
                    f"{module.name} imports {names}"
                )


def test_full_hd_gets_four_rungs_with_falling_bitrates():
    ladder = plan_ladder(parse_probe(probe_json(video_stream(1920, 1080), audio_stream())))
    assert sizes(ladder) == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    bitrates = [rung.bitrate for rung in ladder.rungs]
    assert bitrates == sorted(bitrates, reverse=True)
    assert ladder.gop == 180 and ladder.segment_seconds == 6
    assert ladder.audio.channels == 2 and ladder.audio.bitrate == 128_000
    assert (ladder.fallback.name, ladder.poster.width, ladder.poster.height) == ("480p", 1280, 720)


def test_rungs_carry_a_constant_quality_and_a_cap():
    probe = parse_probe(probe_json(video_stream(1920, 1080), audio_stream()))
    ladder = plan_ladder(probe)
    assert ladder.rate_control == "capped_crf", "capped constant quality is the default"
    # Smaller rungs are watched enlarged: a little more quality for them.
    assert [(r.name, r.crf, r.cap) for r in ladder.rungs] == [
        ("1080p", 23, 5_000_000),
        ("720p", 22, 2_800_000),
        ("480p", 21, 1_400_000),
        ("360p", 21, 800_000),
    ]
    # No 6 s segment can carry more than maxrate: cap × 6 s + buffer = maxrate × 6 s.
    for rung in ladder.rungs:
        assert rung.cap * 6 + rung.cap_buffer(6) == pytest.approx(rung.maxrate * 6, abs=6)
    assert plan_ladder(probe, rate_control="fixed").rate_control == "fixed"


def test_720p_is_never_upscaled():
    ladder = plan_ladder(parse_probe(probe_json(video_stream(1280, 720), audio_stream())))
    assert sizes(ladder) == [("720p", 1280, 720), ("480p", 854, 480), ("360p", 640, 360)]


def test_1366x768_keeps_its_shape_with_even_dimensions():
    ladder = plan_ladder(parse_probe(probe_json(video_stream(1366, 768), audio_stream())))
    assert sizes(ladder) == [("720p", 1280, 720), ("480p", 854, 480), ("360p", 640, 360)]
    assert all(rung.width % 2 == 0 and rung.height % 2 == 0 for rung in ladder.rungs)


def test_portrait_source_gets_portrait_rungs():
    ladder = plan_ladder(parse_probe(probe_json(video_stream(1080, 1920), audio_stream())))
    assert sizes(ladder) == [
        ("1080p", 1080, 1920),
        ("720p", 720, 1280),
        ("480p", 480, 854),
        ("360p", 360, 640),
    ]


@pytest.mark.parametrize("rotation", [90, -90, 270])
def test_rotated_phone_video_is_planned_as_displayed(rotation):
    probe = parse_probe(probe_json(video_stream(1920, 1080, rotation=rotation), audio_stream()))
    assert probe.video.rotation in (90, 270)
    assert probe.display_size == (1080, 1920)
    ladder = plan_ladder(probe)
    assert sizes(ladder)[0] == ("1080p", 1080, 1920)
    assert not can_remux(probe), "a rotated stream copy might play sideways"


def test_upside_down_video_keeps_its_size():
    probe = parse_probe(probe_json(video_stream(1280, 720, rotation=180)))
    assert probe.video.rotation == 180
    assert sizes(plan_ladder(probe))[0] == ("720p", 1280, 720)


def test_audio_only_source_gets_an_audio_only_stream():
    probe = parse_probe(
        probe_json(audio_stream(channels=1, index=0), format_name="mov,mp4,m4a,3gp,3g2,mj2")
    )
    ladder = plan_ladder(probe)
    assert ladder.audio_only and ladder.rungs == ()
    assert ladder.audio.channels == 1
    assert ladder.fallback is None and ladder.poster is None


def test_cover_art_in_an_audio_file_is_not_video():
    cover = video_stream(600, 600, codec="mjpeg")
    cover["disposition"]["attached_pic"] = 1
    probe = parse_probe(probe_json(audio_stream(index=0), cover))
    assert probe.video is None and plan_ladder(probe).audio_only


def test_tiny_source_gets_one_rung_at_its_own_size():
    ladder = plan_ladder(parse_probe(probe_json(video_stream(320, 240))))
    assert sizes(ladder) == [("240p", 320, 240)]
    assert ladder.audio is None


def test_high_frame_rates_are_halved_and_odd_rates_kept():
    def rate(value):
        return plan_ladder(parse_probe(probe_json(video_stream(1280, 720, rate=value)))).frame_rate

    assert rate("60/1") == 30
    assert rate("60000/1001") == Fraction(30000, 1001)
    assert rate("50/1") == 25
    assert rate("25/1") == 25
    assert rate("0/0") == 30


@pytest.mark.parametrize(
    ("probe", "remux"),
    [
        (probe_json(video_stream(1280, 720), audio_stream()), True),
        (probe_json(video_stream(1280, 720)), True),
        (probe_json(video_stream(1280, 720), audio_stream(codec="opus")), False),
        (probe_json(video_stream(1280, 720, codec="vp9"), audio_stream()), False),
        (probe_json(video_stream(1280, 720, pix_fmt="yuv420p10le"), audio_stream()), False),
        (probe_json(audio_stream(index=0)), False),
    ],
)
def test_only_browser_ready_sources_are_remuxed_first(probe, remux):
    assert can_remux(parse_probe(probe)) is remux


@pytest.mark.parametrize(
    ("probe", "reason"),
    [
        (probe_json(video_stream(1280, 720), format_name="hls"), "not a supported recording"),
        (probe_json(video_stream(1280, 720), format_name="mpegts"), "not a supported recording"),
        (probe_json({"index": 0, "codec_type": "subtitle", "codec_name": "subrip"}), "no audio"),
        (probe_json(video_stream(1280, 720), duration="0.000000"), "no duration"),
        (probe_json(video_stream(1280, 720), duration="7200.5"), "2:00:00 long"),
        (probe_json(video_stream(8192, 4320)), "8192×4320 pixels"),
    ],
)
def test_validation_reasons(probe, reason):
    with pytest.raises(RejectedMedia, match=reason):
        validate(parse_probe(probe), Limits(max_duration=3600))


def test_accepted_containers_map_to_one_demuxer_each():
    for name, demuxer in [
        ("mov,mp4,m4a,3gp,3g2,mj2", "mov"),
        ("matroska,webm", "matroska"),
    ]:
        probe = parse_probe(probe_json(video_stream(640, 360), format_name=name))
        validate(probe, Limits())
        assert demuxer_for(probe) == demuxer


@pytest.mark.parametrize("data", ["", "not json", "[]", '{"format": {}}', b"{}"])
def test_garbage_probe_output_is_an_error(data):
    with pytest.raises(ProbeError):
        parse_probe(data)

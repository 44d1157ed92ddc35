"""What the ladder really contains, checked with ffprobe on clips the tests make.

Runs ``manage.py transcode`` (the same probe → validate → plan → encode path as the worker).
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from media_pipeline.ffmpeg import parse_master_playlist, segment_durations

from .media import decode_errors, ffprobe, make_clip, rotate


def transcode(source, out_dir) -> dict:
    stdout = StringIO()
    call_command("transcode", str(source), "--output", str(out_dir), "--json", stdout=stdout)
    return json.loads(stdout.getvalue())


@pytest.fixture(scope="module")
def ladder(tmp_path_factory):
    """A 13 s 720p webinar with stereo sound, transcoded once for every test here."""
    folder = tmp_path_factory.mktemp("ladder")
    source = make_clip(folder / "webinar.mov", seconds=13, size="1280x720")
    summary = transcode(source, folder / "out")
    return folder / "out", summary


def keyframe_times(playlist) -> list[float]:
    packets = ffprobe(playlist, "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags")[
        "packets"
    ]
    return [round(float(p["pts_time"]), 2) for p in packets if "K" in p["flags"]]


def packet_sizes(path) -> list[int]:
    packets = ffprobe(path, "-select_streams", "v:0", "-show_entries", "packet=size")["packets"]
    return [int(p["size"]) for p in packets]


def test_master_playlist_lists_every_rung_and_the_shared_audio(ladder):
    out, _ = ladder
    variants = parse_master_playlist((out / "master.m3u8").read_text())
    assert [(v.name, v.width, v.height) for v in variants] == [
        ("audio", 0, 0),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    video = [v for v in variants if v.kind == "video"]
    assert all(v.codecs.startswith("avc1.") and "mp4a.40.2" in v.codecs for v in video)
    assert [v.bandwidth for v in video] == sorted((v.bandwidth for v in video), reverse=True)
    master = (out / "master.m3u8").read_text()
    assert master.count('AUDIO="group_audio"') == 4, "one audio rendition shared by all"


@pytest.mark.parametrize("name", ["audio", "720p", "480p", "360p"])
def test_each_variant_decodes_with_ffprobe(ladder, name):
    out, _ = ladder
    playlist = out / name / "playlist.m3u8"
    assert decode_errors(playlist) == ""
    streams = ffprobe(playlist, "-show_streams")["streams"]
    assert [s["codec_name"] for s in streams] == (["aac"] if name == "audio" else ["h264"])


def test_segments_are_six_seconds_and_keyframes_align_across_rungs(ladder):
    out, _ = ladder
    durations = {
        name: segment_durations((out / name / "playlist.m3u8").read_text())
        for name in ("720p", "480p", "360p")
    }
    assert durations["720p"] == pytest.approx([6, 6, 1], abs=0.05)
    assert durations["480p"] == durations["720p"] == durations["360p"]
    keyframes = {name: keyframe_times(out / name / "playlist.m3u8") for name in durations}
    assert keyframes["720p"] == keyframes["480p"] == keyframes["360p"]
    start = keyframes["720p"][0]
    assert [round(t - start, 2) for t in keyframes["720p"]] == [0, 6, 12], "one per segment"
    for name in durations:
        assert "#EXT-X-MAP:URI=" in (out / name / "playlist.m3u8").read_text(), "fMP4"


def test_progressive_mp4_and_poster_exist(ladder):
    out, _ = ladder
    mp4 = ffprobe(out / "progressive.mp4", "-show_streams", "-show_format")
    assert [(s["codec_name"], s.get("height")) for s in mp4["streams"]] == [
        ("h264", 480),
        ("aac", None),
    ]
    assert float(mp4["format"]["duration"]) == pytest.approx(13, abs=0.2)
    head = (out / "progressive.mp4").read_bytes()[:65536]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head, "fast start"
    # It is the 480p rung's own pictures, copied, not a second encode of them.
    assert decode_errors(out / "progressive.mp4") == ""
    assert packet_sizes(out / "progressive.mp4") == packet_sizes(out / "480p" / "playlist.m3u8")
    poster = ffprobe(out / "poster.jpg", "-show_streams")["streams"][0]
    assert (poster["codec_name"], poster["width"], poster["height"]) == ("mjpeg", 1280, 720)


def test_json_summary(ladder):
    out, summary = ladder
    assert summary["duration"] == pytest.approx(13, abs=0.1)
    assert [(r["name"], r["width"], r["height"]) for r in summary["renditions"]] == [
        ("audio", 0, 0),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert all(r["bandwidth"] > 0 for r in summary["renditions"])
    assert summary["master_playlist"] == str(out / "master.m3u8")
    assert summary["mp4"] == str(out / "progressive.mp4")
    assert summary["poster"] == str(out / "poster.jpg")
    assert summary["wall_seconds"] > 0
    assert summary["speed"] == pytest.approx(summary["duration"] / summary["wall_seconds"], 0.01)


def test_rotated_phone_video_comes_out_upright(tmp_path):
    landscape = make_clip(tmp_path / "coded.mp4", seconds=2, size="640x360")
    phone = rotate(landscape, tmp_path / "phone.mp4", 90)
    summary = transcode(phone, tmp_path / "out")
    assert [(r["name"], r["width"], r["height"]) for r in summary["renditions"]] == [
        ("audio", 0, 0),
        ("360p", 360, 640),
    ]
    stream = ffprobe(tmp_path / "out" / "360p" / "playlist.m3u8", "-show_streams")["streams"][0]
    assert (stream["width"], stream["height"]) == (360, 640)
    assert not stream.get("side_data_list"), "pixels are turned, not flagged"


def test_audio_only_source_gets_an_audio_only_stream(tmp_path):
    source = make_clip(tmp_path / "podcast.m4a", seconds=3, video=False, channels=1)
    summary = transcode(source, tmp_path / "out")
    assert [(r["name"], r["kind"]) for r in summary["renditions"]] == [("audio", "audio")]
    assert summary["poster"] is None
    assert summary["mp4"].endswith("progressive.m4a")
    audio = ffprobe(summary["mp4"], "-show_streams")["streams"]
    assert [(s["codec_name"], s["channels"]) for s in audio] == [("aac", 1)]
    assert decode_errors(tmp_path / "out" / "audio" / "playlist.m3u8") == ""

"""Capped constant quality: what players are offered is what the segments measure, a still
picture is not stored at every size, and motion stays under each rung's cap.

The first tests are pure (playlists and sizes written here); the others run the ladder on
clips the tests make, through ``manage.py transcode`` as in ``test_outputs``.
"""

import json
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from media_pipeline.ffmpeg import (
    measure_variant,
    parse_master_playlist,
    parse_probe,
    plan_ladder,
    playlist_uris,
    redundant_variants,
    rewrite_master_bandwidths,
)

from .media import decode_errors, ffprobe, make_clip

MEDIA_PLAYLIST = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_1.mp4"
#EXTINF:6.000000,
segment_00000.m4s
#EXTINF:6.000000,
segment_00001.m4s
#EXTINF:0.500000,
segment_00002.m4s
#EXT-X-ENDLIST
"""


def test_peak_and_average_come_from_the_sizes_of_the_files():
    sizes = {
        "init_1.mp4": 1_000,
        "segment_00000.m4s": 299_000,  # 300,000 bytes with the init file: 400 kb/s
        "segment_00001.m4s": 450_000,  # 600 kb/s: the peak
        "segment_00002.m4s": 10_000,
    }
    peak, average = measure_variant(MEDIA_PLAYLIST, sizes)
    assert peak == 600_000
    assert average == round(760_000 * 8 / 12.5)


def test_a_short_last_segment_does_not_pass_for_the_peak():
    # Half a second holding a keyframe is 1.6 Mb/s on its own, but HLS measures runs of
    # segments lasting half to one and a half target durations: 6.5 s here.
    sizes = {
        "init_1.mp4": 0,
        "segment_00000.m4s": 300_000,
        "segment_00001.m4s": 300_000,
        "segment_00002.m4s": 100_000,
    }
    peak, _ = measure_variant(MEDIA_PLAYLIST, sizes)
    assert peak == round(400_000 * 8 / 6.5)


def test_a_recording_shorter_than_half_a_segment_peaks_at_its_average():
    text = '#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI="i.mp4"\n#EXTINF:2.0,\ns.m4s\n'
    assert measure_variant(text, {"i.mp4": 500, "s.m4s": 9_500}) == (40_000, 40_000)


MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_audio",NAME="audio_0",DEFAULT=YES,URI="audio/playlist.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2",AUDIO="group_audio"
audio/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=5640800,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2",AUDIO="group_audio"
1080p/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=3220800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="group_audio"
720p/playlist.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=896000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_audio"
360p/playlist.m3u8
"""


def test_the_master_playlist_offers_measured_rates_and_leaves_dropped_rungs_out():
    text = rewrite_master_bandwidths(
        MASTER,
        {"1080p/playlist.m3u8": (900_000, 400_000), "360p/playlist.m3u8": (300_000, 120_000)},
        drop=frozenset({"720p/playlist.m3u8"}),
    )
    variants = {v.name: v for v in parse_master_playlist(text)}
    assert list(variants) == ["audio", "1080p", "360p"]
    assert (variants["1080p"].bandwidth, variants["1080p"].average_bandwidth) == (900_000, 400_000)
    assert (variants["360p"].bandwidth, variants["360p"].average_bandwidth) == (300_000, 120_000)
    assert variants["audio"].bandwidth == 140_800, "a variant not measured keeps its rate"
    assert "720p" not in text and "RESOLUTION=1920x1080" in text
    assert 'URI="audio/playlist.m3u8"' in text
    # Rewriting again replaces the numbers instead of adding a second attribute.
    again = rewrite_master_bandwidths(text, {"1080p/playlist.m3u8": (1, 2)})
    assert again.count("AVERAGE-BANDWIDTH") == 2 and "BANDWIDTH=1,AVERAGE-BANDWIDTH=2" in again


@pytest.mark.parametrize(
    ("averages", "keep", "dropped"),
    [
        # A still slide: every rung costs about the same as the one below.
        (
            [("1080p", 105), ("720p", 100), ("480p", 98), ("360p", 97)],
            (),
            {"1080p", "720p", "480p"},
        ),
        # Each rung is compared with the next one KEPT below it.
        ([("1080p", 330), ("720p", 305), ("480p", 300), ("360p", 100)], (), {"720p", "1080p"}),
        ([("1080p", 400), ("720p", 200), ("480p", 100), ("360p", 50)], (), set()),
        # The fallback's rung stays, and what is above it is compared with it.
        ([("1080p", 105), ("720p", 100), ("480p", 98), ("360p", 97)], ("480p",), {"1080p", "720p"}),
        ([("360p", 97)], (), set()),
        ([], (), set()),
    ],
)
def test_rungs_that_add_nothing_over_the_one_below_are_dropped(averages, keep, dropped):
    assert redundant_variants(averages, keep=frozenset(keep), margin=0.10) == dropped


def test_an_absolute_slack_covers_what_an_empty_picture_costs():
    averages = [("1080p", 21_700), ("720p", 13_600), ("480p", 10_300), ("360p", 9_000)]
    assert redundant_variants(averages, margin=0.10) == set()
    assert redundant_variants(averages, margin=0.10, slack=16_000) == {"1080p", "720p", "480p"}


# --- Real encodes -------------------------------------------------------------------------


def transcode(source, out_dir, *args) -> dict:
    stdout = StringIO()
    call_command("transcode", str(source), "--output", str(out_dir), "--json", stdout=stdout)
    return json.loads(stdout.getvalue())


def lavfi_clip(path, video: str, audio: str, seconds: float):
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-qp", "10", "-pix_fmt", "yuv420p",
            "-c:a", "aac", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def files_say(folder) -> tuple[int, int]:
    """(peak, average) of one variant, from its files."""
    text = (folder / "playlist.m3u8").read_text()
    return measure_variant(
        text, {uri: (folder / uri).stat().st_size for uri in playlist_uris(text)}
    )


@pytest.fixture(scope="module")
def motion(tmp_path_factory):
    """7 s of a moving, noisy 720p pattern: the worst case for bytes."""
    folder = tmp_path_factory.mktemp("motion")
    source = lavfi_clip(
        folder / "motion.mp4",
        "testsrc2=size=1280x720:rate=30,noise=alls=8:allf=t",
        "sine=frequency=330:sample_rate=48000",
        seconds=7,
    )
    summary = transcode(source, folder / "out")
    return folder / "out", summary, plan_ladder(parse_probe(ffprobe_json(source)))


def ffprobe_json(path) -> dict:
    return ffprobe(path, "-show_format", "-show_streams")


def test_the_master_playlist_offers_what_the_segments_measure(motion):
    out, summary, _ = motion
    variants = parse_master_playlist((out / "master.m3u8").read_text())
    audio_peak, audio_average = files_say(out / "audio")
    for variant in variants:
        peak, average = files_say(out / variant.name)
        if variant.kind == "video":
            # The audio rendition plays alongside every picture, so it counts in each.
            peak, average = peak + audio_peak, average + audio_average
        assert (variant.bandwidth, variant.average_bandwidth) == (peak, average), variant.name
    # And the average is every byte over the whole duration, counted here on its own.
    folder = out / "360p"
    total = sum(path.stat().st_size for path in folder.iterdir() if path.suffix != ".m3u8")
    video_360 = next(v for v in variants if v.name == "360p")
    assert video_360.average_bandwidth - audio_average == pytest.approx(total * 8 / 7, rel=0.01)
    # What the worker stores as each rendition's bandwidth is the peak offered.
    assert {r["name"]: r["bandwidth"] for r in summary["renditions"]} == {
        v.name: v.bandwidth for v in variants
    }


def test_motion_keeps_every_rung_and_no_rung_passes_its_cap(motion):
    out, _, ladder = motion
    variants = parse_master_playlist((out / "master.m3u8").read_text())
    assert [v.name for v in variants if v.kind == "video"] == ["720p", "480p", "360p"]
    for rung in ladder.rungs:
        peak, average = files_say(out / rung.name)
        # The cap binds (noise wants more than any rung allows) but no segment carries more
        # than the rung's maxrate: 7% over its nominal rate, inside the 10% by which HLS
        # validators let a measured peak exceed what a playlist declares.
        assert average > 0.8 * rung.cap, f"{rung.name} did not reach its cap"
        assert peak <= rung.maxrate <= 1.10 * rung.cap, rung.name


@pytest.fixture(scope="module")
def still(tmp_path_factory):
    """8 s of one flat 1080p picture with silence: nothing a larger rung could add."""
    folder = tmp_path_factory.mktemp("still")
    source = lavfi_clip(
        folder / "still.mp4",
        "color=c=0x2a4d69:size=1920x1080:rate=30",
        "anullsrc=r=48000:cl=stereo",
        seconds=8,
    )
    return folder / "out", transcode(source, folder / "out")


def test_a_still_picture_is_stored_once_not_at_every_size(still):
    out, summary = still
    offered = [v.name for v in parse_master_playlist((out / "master.m3u8").read_text())]
    # 1080p and 720p add nothing over 480p; 480p stays (the MP4 fallback is copied from
    # it), and so does 360p (the lowest rung always does).
    assert offered == ["audio", "480p", "360p"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["360p", "480p", "audio"]
    assert [r["name"] for r in summary["renditions"]] == offered
    master = (out / "master.m3u8").read_text()
    assert "1080p" not in master and "720p" not in master
    for name in ("480p", "360p"):
        assert decode_errors(out / name / "playlist.m3u8") == ""
    assert (out / "progressive.mp4").is_file()


def test_the_fixed_rate_escape_hatch_still_makes_a_playable_ladder(tmp_path, settings):
    settings.MEDIA_PIPELINE_RATE_CONTROL = "fixed"
    source = make_clip(tmp_path / "talk.mp4", seconds=3, size="854x480")
    summary = transcode(source, tmp_path / "out")
    assert [r["name"] for r in summary["renditions"]] == ["audio", "480p", "360p"]
    variants = parse_master_playlist((tmp_path / "out" / "master.m3u8").read_text())
    assert all(v.average_bandwidth > 0 for v in variants), "measured under fixed rates too"
    # Its MP4 fallback is encoded alongside the rungs, as it always was.
    assert decode_errors(tmp_path / "out" / "progressive.mp4") == ""


# --- hls.js in Chromium --------------------------------------------------------------------

HLS_JS = Path(__file__).resolve().parents[2] / "node_modules" / "hls.js" / "dist" / "hls.min.js"
ORIGIN = "http://ladder.test"
PLAY_EVERY_LEVEL = """async () => {
    const video = document.querySelector('video');
    const hls = new Hls({capLevelToPlayerSize: false});
    hls.loadSource('/out/master.m3u8');
    hls.attachMedia(video);
    await new Promise((resolve) => hls.on(Hls.Events.MANIFEST_PARSED, resolve));
    const failures = [];
    hls.on(Hls.Events.ERROR, (event, data) => data.fatal && failures.push(data.details));
    const played = [];
    for (let level = 0; level < hls.levels.length; level++) {
        // Force the level (hls.js flushes what it buffered of another), then play until a
        // second of pictures of that level's size went by, or give up after 20 s.
        const height = hls.levels[level].height;
        hls.currentLevel = level;
        video.currentTime = 0;
        await video.play();
        const shown = await new Promise((resolve) => {
            let since = null;
            const check = () => {
                if (video.videoHeight !== height) return;
                since = since === null ? video.currentTime : since;
                if (video.currentTime - since > 1) resolve(video.videoHeight);
            };
            video.addEventListener('timeupdate', check);
            setTimeout(() => resolve(video.videoHeight), 20000);
        });
        video.pause();
        played.push({level, height, bitrate: hls.levels[level].bitrate, shown});
    }
    return {played, failures};
}"""


def serve(page, out) -> None:
    """The ladder's folder and hls.js, as a web server would give them to the browser."""

    def fulfil(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            body = '<video muted playsinline></video><script src="/hls.js"></script>'
            return route.fulfill(body=body, content_type="text/html")
        if path == "/hls.js":
            return route.fulfill(path=HLS_JS, content_type="text/javascript")
        file = out / path.removeprefix("/out/")
        if not file.is_file():
            return route.fulfill(status=404)
        kind = "application/vnd.apple.mpegurl" if file.suffix == ".m3u8" else "video/mp4"
        return route.fulfill(path=file, content_type=kind)

    page.route(f"{ORIGIN}/**", fulfil)


@pytest.mark.e2e
def test_hls_js_plays_every_rung_in_chromium(chromium, motion):
    out, _, _ = motion
    page = chromium.new_page()
    try:
        serve(page, out)
        page.goto(f"{ORIGIN}/")
        result = page.evaluate(PLAY_EVERY_LEVEL)
    finally:
        page.close()
    offered = [v for v in parse_master_playlist((out / "master.m3u8").read_text()) if v.width]
    assert result["failures"] == []
    # hls.js lists the rungs from the cheapest up, by the BANDWIDTH the playlist offers.
    assert [(p["height"], p["shown"], p["bitrate"]) for p in result["played"]] == [
        (v.height, v.height, v.bandwidth) for v in sorted(offered, key=lambda v: v.bandwidth)
    ], "each rung played at its own size, offered at its measured peak"
    assert len(result["played"]) == 3


def test_an_unknown_rate_control_setting_is_named_at_once(settings):
    from django.core.exceptions import ImproperlyConfigured

    from media_pipeline.conf import config

    settings.MEDIA_PIPELINE_RATE_CONTROL = "constant"
    with pytest.raises(ImproperlyConfigured, match="capped_crf, fixed"):
        config()
    settings.MEDIA_PIPELINE_RATE_CONTROL = "fixed"
    assert config().rate_control == "fixed"

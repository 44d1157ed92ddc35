"""Bad uploads: each gets a clear reason, and nothing else happens.

Playlists disguised as videos point at a local FIFO and at a local HTTP server; a watcher on
each proves the pipeline never opened what they point at. (A control run of plain ffprobe,
without Attune's whitelists, shows the watcher would have noticed.)
"""

import http.server
import os
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from media_pipeline import services
from media_pipeline.encoding import UNREADABLE
from media_pipeline.models import RecordingStatus
from tests.conftest import ROOT

from .media import make_clip
from .recordings import stored_files, upload


class FifoWatch:
    """A FIFO that records whether any process opened it for reading."""

    def __init__(self, path: Path):
        self.path = path
        os.mkfifo(path)
        self.opened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        while not self._stop.wait(0.01):
            try:
                # Opening the write end without blocking only succeeds when a reader is there.
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            self.opened += 1
            os.close(fd)

    def stop(self):
        self._stop.set()
        self._thread.join()


class CountingHTTPServer:
    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"\x00" * 188)

            do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fifo(tmp_path):
    watch = FifoWatch(tmp_path / "other-learners-recording.ts")
    yield watch
    watch.stop()


@pytest.fixture
def http_server():
    server = CountingHTTPServer()
    yield server
    server.stop()


def playlist(target: str) -> bytes:
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\n{target}\n#EXT-X-ENDLIST\n".encode()


def make_bad_file(kind: str, folder: Path, fifo: FifoWatch, server: CountingHTTPServer) -> Path:
    path = folder / "recording.mp4"
    if kind == "zero bytes":
        path.write_bytes(b"")
    elif kind == "text named .mp4":
        path.write_text("Notes from the reflective supervision session.\n" * 20)
    elif kind == "truncated mp4":
        whole = make_clip(folder / "whole.mp4", seconds=2)
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    elif kind == "playlist to a local file":
        path.write_bytes(playlist(str(fifo.path)))
    elif kind == "playlist to a URL":
        path.write_bytes(playlist(f"{server.url}/segment.ts"))
    elif kind == "concat list":
        path.write_bytes(f"ffconcat version 1.0\nfile '{fifo.path}'\n".encode())
    elif kind == "no audio or video":
        subtitles = folder / "captions.srt"
        subtitles.write_text("1\n00:00:00,000 --> 00:00:02,000\nWelcome.\n")
        path = folder / "recording.mkv"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(subtitles), "-c:s", "srt", str(path)], check=True
        )
    elif kind in ("over the size limit", "over the duration limit"):
        make_clip(path, seconds=2)
    return path


BAD_INPUTS = {
    "zero bytes": "The file is empty.",
    "text named .mp4": "could not be read as audio or video",
    "truncated mp4": "could not be read as audio or video",
    "playlist to a local file": "The file is an HLS playlist, not a recording",
    "playlist to a URL": "The file is an HLS playlist, not a recording",
    "concat list": "The file is a concat list of other files, not a recording",
    "no audio or video": "The file has no audio or video track.",
    "over the size limit": "the largest accepted is 1.0 KB",
    "over the duration limit": "the longest accepted is 0:01",
}


@pytest.fixture
def limits(settings):
    settings.MEDIA_PIPELINE_PROBE_TIMEOUT_SECONDS = 10

    def apply(kind):
        if kind == "over the size limit":
            settings.MEDIA_PIPELINE_MAX_UPLOAD_BYTES = 1024
        if kind == "over the duration limit":
            settings.MEDIA_PIPELINE_MAX_DURATION_SECONDS = 1

    return apply


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_upload_is_rejected_with_a_reason_and_nothing_else_happens(
    kind, owner, private_storage, tmp_path, fifo, http_server, limits,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    limits(kind)
    recording = upload(owner, make_bad_file(kind, tmp_path, fifo, http_server))

    with django_capture_on_commit_callbacks() as queued:
        status = services.probe_recording(recording_id=recording.pk)

    recording.refresh_from_db()
    assert status == recording.status == RecordingStatus.REJECTED
    assert BAD_INPUTS[kind] in recording.error
    assert queued == [], "nothing is queued for transcoding"
    assert not recording.transcode_attempts.exists() and not recording.renditions.exists()
    assert stored_files(recording) == [recording.source.name], "no output was written"
    assert (recording.duration, recording.video_codec, recording.probe) == (None, "", {})
    assert not recording.lease_token
    assert fifo.opened == 0 and http_server.hits == [], "what the file points at is never read"
    # A second look changes nothing either.
    assert services.probe_recording(recording_id=recording.pk) == RecordingStatus.REJECTED


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_transcode_command_exits_2_with_one_line(kind, tmp_path, fifo, http_server, limits):
    limits(kind)
    source = make_bad_file(kind, tmp_path, fifo, http_server)
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("transcode", str(source), "--output", str(tmp_path / "out"), stderr=stderr)
    assert exit_.value.code == 2
    assert stderr.getvalue().count("\n") == 1 and stderr.getvalue().startswith("error: ")
    assert BAD_INPUTS[kind] in stderr.getvalue()
    assert not (tmp_path / "out").exists()
    assert fifo.opened == 0 and http_server.hits == []


def test_control_plain_ffprobe_would_have_read_the_local_file(tmp_path, fifo):
    """Without the whitelists, ffmpeg's HLS demuxer follows the playlist to the local file:
    the watcher sees it. This is what the pipeline's whitelists prevent."""
    disguised = tmp_path / "recording.mp4"
    disguised.write_bytes(playlist(str(fifo.path)))
    subprocess.run(
        ["ffprobe", "-v", "quiet", str(disguised)], timeout=30, check=False, capture_output=True
    )
    assert fifo.opened >= 1


def test_transcode_command_as_a_process(tmp_path):
    source = tmp_path / "notes.mp4"
    source.write_text("not a video")
    completed = subprocess.run(
        [sys.executable, "manage.py", "transcode", str(source), "--output", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [f"error: {UNREADABLE}"]

"""Bad uploads: each gets a clear reason, and nothing else happens.

The corpus (``hostile.py``) is made by the tests. Playlists disguised as videos point at a
local FIFO and at a local HTTP server; a watcher on each proves the pipeline never opened
what they point at. (A control run of plain ffprobe, without Attune's whitelists, shows the
watcher would have noticed.)
"""

import struct
import subprocess
import sys
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command

from media_pipeline import tasks
from media_pipeline.encoding import UNREADABLE
from media_pipeline.ffmpeg.boxes import box_overrun
from media_pipeline.models import RecordingStatus
from tests.conftest import ROOT

from .hostile import BAD_INPUTS, make_bad_file, playlist
from .recordings import stored_files, upload


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
        status = tasks.probe_recording(recording.pk)

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
    assert tasks.probe_recording(recording.pk) == RecordingStatus.REJECTED


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


def box(kind: bytes, payload: bytes = b"", *, claimed: int | None = None) -> bytes:
    return struct.pack(">I4s", claimed or 8 + len(payload), kind) + payload


@pytest.mark.parametrize(
    ("data", "overrun"),
    [
        (box(b"ftyp", b"isom") + box(b"moov", b"x" * 20) + box(b"mdat", b"y" * 100), None),
        (box(b"ftyp", b"isom") + box(b"mdat", b"y" * 50, claimed=108), ("mdat", 50)),
        # A 64-bit size (for data over 4 GiB) that runs past the end.
        (box(b"ftyp") + struct.pack(">I4sQ", 1, b"mdat", 10_000) + b"y" * 84, ("mdat", 9900)),
        (box(b"ftyp") + struct.pack(">I4s", 0, b"mdat") + b"y" * 30, None),  # to the end
        (b"not a box structure at all", None),
    ],
)
def test_the_box_walk_finds_a_file_cut_short(data, overrun):
    assert box_overrun(BytesIO(data), len(data)) == overrun

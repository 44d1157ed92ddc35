"""What went wrong, by cause: the file's faults fail at once, ours are retried; and the
admin shows every attempt's cause."""

import errno
import signal

import pytest
from django.db import OperationalError
from django.urls import reverse

from media_pipeline import encoding, runner
from media_pipeline.models import AttemptCause
from media_pipeline.services.faults import classify
from media_pipeline.services.leases import LeaseLost
from tests.factories import MembershipFactory, UserFactory

from .recordings import failed_attempts, upload


def ffmpeg_failure(output: str) -> runner.ProcessFailed:
    """Real ffmpeg encoding a second of test pattern into ``output``, failing."""
    argv = [
        "ffmpeg", "-hide_banner", "-nostdin", "-progress", "pipe:1",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", "-y", output,
    ]  # fmt: skip
    with pytest.raises(runner.ProcessFailed) as failed:
        runner.run_ffmpeg(argv, duration=1, wall_limit=60, stall_limit=30)
    return failed.value


def test_ffmpeg_writing_to_a_full_disk_is_ours_and_named():
    fault = classify(ffmpeg_failure("/dev/full"))  # every write: ENOSPC
    assert fault.cause == AttemptCause.INFRASTRUCTURE and fault.kind == "disk"
    assert fault.retrying() == "The work disk is full (ENOSPC) — retrying"


def test_ffmpeg_rejecting_its_input_is_the_files_fault(tmp_path):
    fault = classify(ffmpeg_failure(str(tmp_path / "missing-folder" / "out.mp4")))
    assert fault.cause == AttemptCause.CONTENT
    assert fault.message.startswith("ffmpeg could not process the recording:")


@pytest.mark.parametrize(
    ("error", "kind", "text"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk", "full (ENOSPC)"),
        (OSError(errno.EFBIG, "File too large"), "disk", "too large (EFBIG)"),
        (OperationalError("server closed the connection"), "database", "database"),
        (LeaseLost("lost"), "lease", "lost its hold"),
        (ConnectionResetError("reset by peer"), "storage", "storage could not be reached"),
        (
            runner.ProcessFailed("killed", returncode=-signal.SIGKILL, stderr_tail=""),
            "worker",
            "SIGKILL",
        ),
    ],
)
def test_infrastructure_faults(error, kind, text):
    fault = classify(error)
    assert (fault.cause, fault.kind) == (AttemptCause.INFRASTRUCTURE, kind)
    assert text in fault.message


@pytest.mark.parametrize(
    "error",
    [
        encoding.EncodeFailed("the master playlist lacks 360p"),
        runner.ProcessTimedOut("ffmpeg made no progress", returncode=None, stderr_tail=""),
        runner.ProcessLimitExceeded(
            "ffmpeg went over its file size limit", returncode=-25, stderr_tail="File too large"
        ),
    ],
)
def test_content_faults(error):
    assert classify(error).cause == AttemptCause.CONTENT


def test_the_admin_shows_each_attempts_cause_worker_and_message(
    client, owner, private_storage, clips
):
    editor = UserFactory(email="editor@glaimh.org")
    MembershipFactory(organization=owner, user=editor)
    recording = upload(owner, clips("supervision-notes.mp4", seconds=2))
    failed_attempts(
        recording,
        [
            (AttemptCause.INFRASTRUCTURE, "The work disk is full (ENOSPC)"),
            (AttemptCause.CONTENT, "ffmpeg could not process the recording: Invalid data"),
        ],
    )
    client.force_login(editor)
    url = reverse("wagtailsnippets_media_pipeline_recording:inspect", args=[recording.pk])
    page = client.get(url).content.decode()
    history = page[page.index("Processing history") :]
    assert "Infrastructure (ours)" in history and "Content (the file)" in history
    assert "worker-1@host pid 7" in history and "The work disk is full (ENOSPC)" in history
    assert history.index("worker-2@host") < history.index("worker-1@host"), "newest first"

"""The process runner: limits kill ffmpeg, stderr never blocks it, errors carry its words."""

import os

import pytest

from media_pipeline.runner import ProcessFailed, ProcessTimedOut, run_ffmpeg

FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1"]


def test_a_stalled_ffmpeg_is_killed(tmp_path):
    # Reading a FIFO nobody writes to blocks forever: no media time ever advances.
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    argv = [*FFMPEG, "-f", "s16le", "-i", str(fifo), "-f", "null", "-"]
    with pytest.raises(ProcessTimedOut, match="no progress for 1 s"):
        run_ffmpeg(argv, duration=10, wall_limit=60, stall_limit=1)


def test_wall_clock_limit_kills_a_process_that_keeps_going():
    # -re reads in real time, so this would take a minute while progressing steadily.
    argv = [*FFMPEG, "-re", "-f", "lavfi", "-i", "anullsrc=d=60", "-f", "null", "-"]
    with pytest.raises(ProcessTimedOut, match="longer than its limit of 2 s"):
        run_ffmpeg(argv, duration=60, wall_limit=2, stall_limit=60)


def test_stderr_is_drained_so_a_chatty_process_finishes():
    # showinfo logs a line per frame: about 160 KB here, more than a pipe buffer holds.
    source = "testsrc=d=20:size=160x120"
    argv = [*FFMPEG, "-f", "lavfi", "-i", source, "-vf", "showinfo", "-f", "null", "-"]
    result = run_ffmpeg(argv, duration=20, wall_limit=60, stall_limit=30)
    assert result.returncode == 0
    assert result.progress.done and result.progress.percent == 100
    assert 0 < len(result.stderr_tail.splitlines()) <= 40


def test_a_failing_ffmpeg_reports_its_last_words(tmp_path):
    argv = [*FFMPEG, "-loglevel", "error", "-i", str(tmp_path / "missing.mp4"), "-f", "null", "-"]
    with pytest.raises(ProcessFailed) as failure:
        run_ffmpeg(argv, duration=1, wall_limit=60, stall_limit=30)
    assert failure.value.returncode == 1
    assert "No such file or directory" in failure.value.last_line


def test_an_error_in_the_callback_stops_ffmpeg():
    argv = [*FFMPEG, "-re", "-f", "lavfi", "-i", "anullsrc=d=60", "-f", "null", "-"]

    def lose_the_lease(progress):
        raise RuntimeError("lease lost")

    with pytest.raises(RuntimeError, match="lease lost"):
        run_ffmpeg(argv, duration=60, wall_limit=60, stall_limit=60, on_tick=lose_the_lease)

"""The one module that starts processes: ffprobe and ffmpeg, never through a shell.

ffmpeg's ``-progress`` output (stdout) and its log (stderr) are each drained by a thread from
the moment it starts, so a chatty process can never block on a full pipe. The calling thread
watches the clock: a wall-clock limit and a stall limit (no media time written for too long)
kill the process. A callback runs about once a second in the calling thread, so it may use
the database; if it raises, ffmpeg is killed and the exception propagates.
"""

import contextlib
import ctypes
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .ffmpeg import Progress, ProgressParser

STDERR_TAIL_LINES = 40
_FINISHED = object()
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Have the kernel kill ffmpeg if the worker dies (even by SIGKILL), so no orphan keeps
    writing into a work folder that the next attempt removes."""
    # Elsewhere than Linux there is no prctl; the stall limit and lease expiry still apply.
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ProcessFailed(Exception):
    def __init__(self, message: str, *, returncode: int | None, stderr_tail: str):
        super().__init__(message)
        self.returncode = returncode
        self.stderr_tail = stderr_tail

    @property
    def last_line(self) -> str:
        lines = [line for line in self.stderr_tail.splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""


class ProcessTimedOut(ProcessFailed):
    """Killed by us: over the wall-clock limit or stalled."""


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stderr_tail: str
    wall_seconds: float
    progress: Progress | None


def probe(argv: list[str], *, timeout: float) -> tuple[int, str, str]:
    """Run ffprobe; returns (exit status, stdout, stderr). ``subprocess.run`` drains both pipes
    together and kills the process at the timeout."""
    try:
        completed = subprocess.run(  # noqa: S603 - argv list from the pure layer, no shell
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ProcessTimedOut(
            f"ffprobe took longer than {timeout:.0f} s",
            returncode=None,
            stderr_tail=(error.stderr or b"").decode(errors="replace")[-4000:],
        ) from error
    return (
        completed.returncode,
        completed.stdout.decode(errors="replace"),
        completed.stderr.decode(errors="replace"),
    )


def _drain(stream, handle_line: Callable[[str], None]):
    for raw in iter(stream.readline, b""):
        handle_line(raw.decode(errors="replace"))


def run_ffmpeg(
    argv: list[str],
    *,
    duration: float,
    wall_limit: float,
    stall_limit: float,
    on_tick: Callable[[Progress | None], None] | None = None,
    tick_seconds: float = 1.0,
) -> RunResult:
    """Run ffmpeg (with ``-progress pipe:1``) to completion within the limits."""
    parser = ProgressParser(duration)
    events: queue.Queue = queue.Queue()
    stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - argv list from the pure layer, no shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent,
    )

    def on_progress_line(line: str):
        progress = parser.feed(line)
        if progress is not None:
            events.put(progress)

    def read_progress():
        _drain(process.stdout, on_progress_line)
        # ffmpeg closed its output: it is exiting. Wake the watcher now, not at its next tick.
        events.put(_FINISHED)

    readers = [
        threading.Thread(target=read_progress, daemon=True),
        threading.Thread(
            target=_drain,
            args=(process.stderr, lambda line: stderr_tail.append(line.rstrip())),
            daemon=True,
        ),
    ]
    for reader in readers:
        reader.start()

    def tail() -> str:
        return "\n".join(stderr_tail)

    latest: Progress | None = None
    last_advance = last_tick = started
    try:
        while True:
            try:
                event = events.get(timeout=min(tick_seconds, 0.5))
            except queue.Empty:
                event = None
            if event is _FINISHED:
                break
            now = time.monotonic()
            if event is not None:
                if latest is None or event.seconds > latest.seconds:
                    last_advance = now
                latest = event
            if now - started > wall_limit:
                raise ProcessTimedOut(
                    f"ffmpeg ran longer than its limit of {wall_limit:.0f} s",
                    returncode=None,
                    stderr_tail=tail(),
                )
            if now - last_advance > stall_limit:
                raise ProcessTimedOut(
                    f"ffmpeg made no progress for {stall_limit:.0f} s",
                    returncode=None,
                    stderr_tail=tail(),
                )
            if on_tick is not None and now - last_tick >= tick_seconds:
                last_tick = now
                on_tick(latest)
        try:
            process.wait(timeout=max(1.0, wall_limit - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            raise ProcessTimedOut(
                f"ffmpeg ran longer than its limit of {wall_limit:.0f} s",
                returncode=None,
                stderr_tail=tail(),
            ) from None
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        for reader in readers:
            reader.join(timeout=5)
        process.stdout.close()
        process.stderr.close()
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise ProcessFailed(
            f"ffmpeg exited with status {process.returncode}",
            returncode=process.returncode,
            stderr_tail=tail(),
        )
    return RunResult(process.returncode, tail(), wall, latest)

"""The one module that starts processes: ffprobe and ffmpeg, never through a shell.

ffmpeg's ``-progress`` output (stdout) and its log (stderr) are each drained by a thread from
the moment it starts, so a chatty process can never block on a full pipe. The calling thread
watches the clock: a wall-clock limit and a stall limit (no media time written for too long)
kill the process. A callback runs about once a second in the calling thread, so it may use
the database; if it raises, ffmpeg is killed and the exception propagates.

Both tools run confined (``media_pipeline.ffmpeg.sandbox``): resource limits set in the child
before it executes the tool, and a private network namespace with nothing in it when this
host allows one (checked once per worker; without it a warning is logged and the protocol
whitelists stand alone).
"""

import contextlib
import ctypes
import functools
import logging
import os
import queue
import resource
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .ffmpeg import Progress, ProgressParser
from .ffmpeg.sandbox import NETWORK_WRAPPERS, ProcessLimits, limit_exceeded, without_network

logger = logging.getLogger(__name__)

STDERR_TAIL_LINES = 40
_FINISHED = object()
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Have the kernel kill ffmpeg if the worker dies (even by SIGKILL), so no orphan keeps
    writing into a work folder that the next attempt removes."""
    # Elsewhere than Linux there is no prctl; the stall limit and lease expiry still apply.
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _confine(limits: ProcessLimits | None):
    """The child's set-up between fork and exec: die with the worker, then lower its limits
    (soft and hard alike, so the tool cannot raise them again). Over the CPU limit the kernel
    kills it outright: ffmpeg would treat the warning signal as a polite request to stop."""

    def preexec():
        _die_with_parent()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if limits is None:
            return
        for which, value in (
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.memory_bytes),
            (resource.RLIMIT_FSIZE, limits.file_bytes),
        ):
            if value is not None:
                resource.setrlimit(which, (value, value))

    return preexec


@functools.cache
def network_wrapper() -> tuple[str, ...] | None:
    """The first way of entering an empty network namespace that works here, or None."""
    for wrapper in NETWORK_WRAPPERS:
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [*wrapper, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if completed.returncode == 0:
            return wrapper
    logger.warning(
        "ffmpeg and ffprobe run WITH network access: this host allows no private network "
        "namespace (tried %s). Only the protocol whitelists keep them from the network.",
        " / ".join(" ".join(wrapper[:-1]) for wrapper in NETWORK_WRAPPERS),
    )
    return None


def _confined_argv(argv: list[str], isolate_network: bool) -> list[str]:
    return without_network(argv, network_wrapper() if isolate_network else None)


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


class ProcessLimitExceeded(ProcessFailed):
    """Killed by the kernel: over its CPU time or file size limit."""


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stderr_tail: str
    wall_seconds: float
    progress: Progress | None
    cpu_seconds: float = 0.0


def probe(
    argv: list[str],
    *,
    timeout: float,
    limits: ProcessLimits | None = None,
    isolate_network: bool = False,
) -> tuple[int, str, str]:
    """Run ffprobe; returns (exit status, stdout, stderr). ``subprocess.run`` drains both pipes
    together and kills the process at the timeout."""
    try:
        completed = subprocess.run(  # noqa: S603 - argv list from the pure layer, no shell
            _confined_argv(argv, isolate_network),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
            preexec_fn=_confine(limits),
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


def _reap(process: subprocess.Popen, timeout: float) -> float:
    """Wait for the process like ``Popen.wait`` does, but through ``wait4`` so its CPU time
    is known (the kernel's SIGKILL at the CPU limit looks like any other SIGKILL)."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(process.args, timeout)
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


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
    limits: ProcessLimits | None = None,
    isolate_network: bool = False,
) -> RunResult:
    """Run ffmpeg (with ``-progress pipe:1``) to completion within the limits."""
    parser = ProgressParser(duration)
    events: queue.Queue = queue.Queue()
    stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - argv list from the pure layer, no shell
        _confined_argv(argv, isolate_network),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_confine(limits),
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
            cpu = _reap(process, timeout=max(1.0, wall_limit - (time.monotonic() - started)))
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
    exceeded = limit_exceeded(process.returncode, limits, cpu_seconds=cpu) if limits else None
    if exceeded:
        raise ProcessLimitExceeded(
            f"ffmpeg went over {exceeded}", returncode=process.returncode, stderr_tail=tail()
        )
    if process.returncode != 0:
        raise ProcessFailed(
            f"ffmpeg exited with status {process.returncode}",
            returncode=process.returncode,
            stderr_tail=tail(),
        )
    return RunResult(process.returncode, tail(), wall, latest, cpu)

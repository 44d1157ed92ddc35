"""How ffprobe and ffmpeg are confined: resource limits and a network-less wrapper. Pure: it
decides numbers and argv; ``media_pipeline.runner`` applies them when it starts a process.

A hostile upload may be built to make a decoder allocate without end, spin, or write a huge
file; the limits turn each into a clean failure of that one process instead of a worker (or
the machine) brought down. Without a network namespace there is nothing to reach, whatever a
demuxer would follow, in addition to the protocol whitelist on every input.
"""

import signal
from dataclasses import dataclass

GIB = 1024**3


@dataclass(frozen=True)
class ProcessLimits:
    """Per-process ceilings; ``None`` leaves that resource as the worker has it."""

    cpu_seconds: int | None = None
    memory_bytes: int | None = None  # address space, so a runaway allocation fails at once
    file_bytes: int | None = None  # the largest file the process may write


@dataclass(frozen=True)
class SandboxPolicy:
    """Limits for probing (a fixed budget: it reads headers and a few frames) and for
    encoding (CPU time grows with the recording's duration)."""

    probe_cpu_seconds: int = 60
    probe_memory_bytes: int = 1 * GIB
    # ffprobe writes to a pipe only; a regular file it writes is a file it was tricked into.
    probe_file_bytes: int = 0
    encode_memory_bytes: int = 4 * GIB
    encode_file_bytes: int = 8 * GIB
    encode_min_cpu_seconds: int = 3600
    encode_cpu_seconds_per_media_second: float = 20.0
    isolate_network: bool = True

    @classmethod
    def from_settings(cls, overrides: dict, *, isolate_network: bool = True) -> "SandboxPolicy":
        unknown = set(overrides) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown process limits: {', '.join(sorted(unknown))}")
        return cls(**{**overrides, "isolate_network": isolate_network})

    def probe_limits(self) -> ProcessLimits:
        return ProcessLimits(
            cpu_seconds=self.probe_cpu_seconds,
            memory_bytes=self.probe_memory_bytes,
            file_bytes=self.probe_file_bytes,
        )

    def encode_limits(self, duration: float) -> ProcessLimits:
        cpu = max(
            self.encode_min_cpu_seconds,
            round(self.encode_cpu_seconds_per_media_second * max(0.0, duration)),
        )
        return ProcessLimits(
            cpu_seconds=cpu,
            memory_bytes=self.encode_memory_bytes,
            file_bytes=self.encode_file_bytes,
        )


# Ways to enter a private network namespace, tried in order: as root, then (for a developer
# running as themselves) inside a user namespace where they are root.
NETWORK_WRAPPERS = (
    ("unshare", "--net", "--"),
    ("unshare", "--user", "--map-root-user", "--net", "--"),
)


def without_network(argv: list[str], wrapper: tuple[str, ...] | None) -> list[str]:
    """``argv`` run through ``wrapper`` (one of :data:`NETWORK_WRAPPERS`), or as it is."""
    return [*wrapper, *argv] if wrapper else list(argv)


def limit_exceeded(
    returncode: int | None, limits: ProcessLimits, *, cpu_seconds: float | None = None
) -> str | None:
    """Which limit a process the kernel killed went over, else None. With the soft and hard
    CPU limits equal, the kernel sends SIGKILL at the limit: only the CPU time the process
    used (from ``wait4``) tells it from the out-of-memory killer's SIGKILL."""
    if returncode is None or returncode >= 0:
        return None
    signal_number = -returncode
    if signal_number == signal.SIGXFSZ and limits.file_bytes is not None:
        return f"its file size limit of {_size(limits.file_bytes)}"
    if signal_number not in (signal.SIGKILL, signal.SIGXCPU) or limits.cpu_seconds is None:
        return None
    if cpu_seconds is None or cpu_seconds >= limits.cpu_seconds - 1:
        return f"its CPU time limit of {limits.cpu_seconds} s"
    return None


def _size(size: int) -> str:
    for unit, factor in (("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"

"""What went wrong with a transcode, by cause.

A *content* fault is the file's: ffmpeg rejects it, cannot finish it within its limits, or
leaves a rendition out. Trying again would fail the same way, so the recording fails at once
with the reason, and the attempt counts against the content budget (``max_attempts``).

An *infrastructure* fault is ours: the worker was lost (killed, out of memory, a deploy, a
host gone), its lease lapsed, the database or the storage could not be reached, the work
disk is full. The recording is retried with backoff against a separate, larger ceiling
(``max_infrastructure_retries``) and keeps its content attempts.
"""

import errno
import signal
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils.translation import gettext as _

from .. import encoding
from ..models import AttemptCause
from ..runner import ProcessFailed, ProcessLimitExceeded, ProcessTimedOut
from .leases import LeaseLost

# What ffmpeg (through the C library) writes when the disk refuses its output.
_DISK_FULL_TEXT = {
    "No space left on device": "ENOSPC",
    "Disk quota exceeded": "EDQUOT",
    "File too large": "EFBIG",
}
_DISK_ERRNOS = {errno.ENOSPC: "ENOSPC", errno.EDQUOT: "EDQUOT", errno.EFBIG: "EFBIG"}


@dataclass(frozen=True)
class Fault:
    cause: str  # an AttemptCause
    kind: str  # disk, database, storage, worker, lease, content
    message: str  # for people: the recording's status and the attempt's history

    @property
    def is_content(self) -> bool:
        return self.cause == AttemptCause.CONTENT

    def retrying(self) -> str:
        return _("%(reason)s — retrying") % {"reason": self.message}


def _infrastructure(kind: str, message: str) -> Fault:
    return Fault(AttemptCause.INFRASTRUCTURE, kind, message)


def _content(message: str) -> Fault:
    return Fault(AttemptCause.CONTENT, "content", message)


def disk_full(code: str) -> Fault:
    if code == "EFBIG":
        return _infrastructure("disk", _("The work disk refused a file as too large (EFBIG)"))
    return _infrastructure("disk", _("The work disk is full (%(code)s)") % {"code": code})


def worker_lost() -> Fault:
    return _infrastructure(
        "worker", _("The worker processing it stopped before it finished (lost or restarted)")
    )


def database_unreachable(error: BaseException | str) -> Fault:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    message = _("The database could not be reached")
    return _infrastructure("database", f"{message} ({detail})" if detail else message)


def _disk_code(error: BaseException) -> str | None:
    if isinstance(error, OSError) and error.errno in _DISK_ERRNOS:
        return _DISK_ERRNOS[error.errno]
    if isinstance(error, ProcessFailed | encoding.EncodeFailed):
        for text, code in _DISK_FULL_TEXT.items():
            if text in error.stderr_tail:
                return code
    return None


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def classify(error: BaseException) -> Fault:
    """The fault ``error`` stands for. A full disk is told apart before other ffmpeg
    errors: ffmpeg exits with an error status then, as for a bad file, and only its log
    says which."""
    if isinstance(error, ProcessLimitExceeded):
        # Killed by the kernel at a limit we set for this file (its size, CPU time).
        return _content(_("Processing was stopped: %(error)s.") % {"error": error})
    code = _disk_code(error)
    if code:
        return disk_full(code)
    if isinstance(error, DatabaseError):
        return database_unreachable(error)
    if isinstance(error, LeaseLost):
        return _infrastructure(
            "lease", _("The worker lost its hold on the recording (its lease ran out)")
        )
    if isinstance(error, ProcessTimedOut):
        return _content(_("Processing was stopped: %(error)s.") % {"error": error})
    if isinstance(error, encoding.EncodeFailed):
        return _content(
            _("Processing did not produce every rendition: %(error)s.") % {"error": error}
        )
    if isinstance(error, ProcessFailed):
        if (error.returncode or 0) > 0:
            return _content(
                _("ffmpeg could not process the recording: %(detail)s")
                % {"detail": error.last_line or error}
            )
        # A signal we did not send: the out-of-memory killer, a restart, a lost host.
        return _infrastructure(
            "worker",
            _("ffmpeg was stopped by %(signal)s (out of memory, or its host restarted)")
            % {"signal": _signal_name(error.returncode or -signal.SIGKILL)},
        )
    if isinstance(error, OSError) or type(error).__module__.startswith(("botocore", "boto3")):
        return _infrastructure(
            "storage",
            _("The storage could not be reached (%(error)s)")
            % {"error": str(error) or type(error).__name__},
        )
    return _infrastructure(
        "unexpected",
        _("Processing stopped unexpectedly (%(error)s)")
        % {"error": str(error) or type(error).__name__},
    )

"""Helpers for tests that drive a real worker process: waiting on the database and finding
processes by what their command line mentions."""

import time
from pathlib import Path


def wait_for(condition, *, timeout: float, what: str):
    """Poll the database (the only event a separate worker process can give us)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting until {what}")


def processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace"):
                found.append(cmdline.parent.name)
        except OSError:
            continue
    return found

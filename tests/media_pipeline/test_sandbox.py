"""ffprobe and ffmpeg run confined: resource limits the kernel enforces, and no network.

The policy (numbers, argv) is pure and tested as such; the rest runs real processes through
the runner and reads what the kernel says about them (``/proc/self/limits``, the network
interfaces the process can see) or lets them run into a limit.
"""

import logging

import pytest

from media_pipeline import runner
from media_pipeline.ffmpeg.sandbox import (
    GIB,
    ProcessLimits,
    SandboxPolicy,
    limit_exceeded,
    without_network,
)
from media_pipeline.runner import ProcessFailed, ProcessLimitExceeded, probe, run_ffmpeg

FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"]
PROGRESS = ["-progress", "pipe:1"]
MIB = 1024**2


def kernel_limits(text: str) -> dict[str, tuple[str, str]]:
    """``/proc/<pid>/limits`` as {name: (soft, hard)}."""
    limits = {}
    for line in text.splitlines()[1:]:
        name, soft, hard = line[:26].strip(), *line[26:].split()[:2]
        limits[name] = (soft, hard)
    return limits


# -- The policy (pure) ------------------------------------------------------------------------


def test_encoding_gets_cpu_time_in_proportion_to_the_recording():
    policy = SandboxPolicy(encode_min_cpu_seconds=600, encode_cpu_seconds_per_media_second=20)
    assert policy.encode_limits(10).cpu_seconds == 600, "short clips get the minimum"
    assert policy.encode_limits(3600).cpu_seconds == 72_000
    assert policy.encode_limits(3600).memory_bytes == 4 * GIB
    assert policy.probe_limits() == ProcessLimits(cpu_seconds=60, memory_bytes=GIB, file_bytes=0)


def test_settings_override_the_defaults_by_name_and_typos_are_refused():
    policy = SandboxPolicy.from_settings({"probe_cpu_seconds": 5}, isolate_network=False)
    assert (policy.probe_cpu_seconds, policy.isolate_network) == (5, False)
    with pytest.raises(ValueError, match="unknown process limits: probe_cpu"):
        SandboxPolicy.from_settings({"probe_cpu": 5})


def test_the_network_wrapper_goes_in_front():
    assert without_network(["ffprobe", "x"], ("unshare", "--net", "--")) == [
        "unshare", "--net", "--", "ffprobe", "x",
    ]  # fmt: skip
    assert without_network(["ffprobe", "x"], None) == ["ffprobe", "x"]


@pytest.mark.parametrize(
    ("returncode", "cpu_used", "expected"),
    [
        (-9, 30.2, "its CPU time limit of 30 s"),
        (-9, 3.0, None),  # a SIGKILL well short of the limit: the out-of-memory killer
        (-24, None, "its CPU time limit of 30 s"),
        (-25, 1.0, "its file size limit of 64.0 KiB"),
        (1, 40.0, None),
        (0, 40.0, None),
    ],
)
def test_which_limit_a_killed_process_went_over(returncode, cpu_used, expected):
    limits = ProcessLimits(cpu_seconds=30, file_bytes=64 * 1024)
    assert limit_exceeded(returncode, limits, cpu_seconds=cpu_used) == expected


# -- Real processes ---------------------------------------------------------------------------


def test_the_kernel_holds_the_tools_to_their_limits():
    limits = ProcessLimits(cpu_seconds=7, memory_bytes=512 * MIB, file_bytes=MIB)
    returncode, stdout, _ = probe(["cat", "/proc/self/limits"], timeout=10, limits=limits)
    assert returncode == 0
    seen = kernel_limits(stdout)
    assert seen["Max cpu time"] == ("7", "7")
    assert seen["Max address space"] == (str(512 * MIB), str(512 * MIB))
    assert seen["Max file size"] == (str(MIB), str(MIB))
    assert seen["Max core file size"] == ("0", "0"), "a crashing decoder leaves no core dump"


def test_without_network_only_an_unconfigured_loopback_is_there():
    assert runner.network_wrapper() is not None, "this machine allows network namespaces"
    returncode, stdout, _ = probe(["cat", "/proc/net/dev"], timeout=10, isolate_network=True)
    assert returncode == 0
    interfaces = [line.split(":")[0].strip() for line in stdout.splitlines()[2:]]
    assert interfaces == ["lo"]


def test_ffprobe_cannot_reach_a_server_even_when_allowed_to_try(http_server):
    # No whitelist here, on purpose: only the missing network stops it.
    argv = ["ffprobe", "-v", "error", f"{http_server.url}/segment.ts"]
    returncode, _, stderr = probe(argv, timeout=30, isolate_network=True)
    assert returncode != 0 and "unreachable" in stderr.lower()
    assert http_server.hits == []
    # The control: the same command with the network reaches the server.
    probe(argv, timeout=30, isolate_network=False)
    assert http_server.hits == ["/segment.ts"]


def test_over_its_cpu_time_ffmpeg_is_stopped_with_the_reason():
    argv = [
        *FFMPEG, *PROGRESS, "-f", "lavfi", "-i", "testsrc2=size=1280x720:duration=600",
        "-c:v", "libx264", "-preset", "medium", "-f", "null", "-",
    ]  # fmt: skip
    with pytest.raises(ProcessLimitExceeded, match="ffmpeg went over its CPU time limit of 1 s"):
        run_ffmpeg(
            argv, duration=600, wall_limit=120, stall_limit=60, limits=ProcessLimits(cpu_seconds=1)
        )


def test_a_file_larger_than_allowed_stops_ffmpeg(tmp_path):
    output = tmp_path / "huge.mp4"
    argv = [
        *FFMPEG, *PROGRESS, "-f", "lavfi", "-i", "testsrc2=size=640x360:duration=60",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "0", str(output),
    ]  # fmt: skip
    with pytest.raises(ProcessLimitExceeded, match=r"its file size limit of 256\.0 KiB"):
        run_ffmpeg(
            argv, duration=60, wall_limit=120, stall_limit=60,
            limits=ProcessLimits(file_bytes=256 * 1024),
        )  # fmt: skip
    assert output.stat().st_size <= 256 * 1024


def test_an_allocation_over_the_memory_limit_fails_cleanly():
    argv = [
        *FFMPEG, *PROGRESS, "-f", "lavfi", "-i", "testsrc2=size=4096x2160:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-f", "null", "-",
    ]  # fmt: skip
    with pytest.raises(ProcessFailed) as failure:
        run_ffmpeg(
            argv, duration=1, wall_limit=120, stall_limit=60,
            limits=ProcessLimits(memory_bytes=400 * MIB),
        )  # fmt: skip
    assert not isinstance(failure.value, ProcessLimitExceeded)
    assert failure.value.returncode == 1 and "malloc" in failure.value.stderr_tail


def test_ffmpeg_reports_the_cpu_time_it_used():
    argv = [*FFMPEG, *PROGRESS, "-f", "lavfi", "-i", "testsrc2=duration=2", "-f", "null", "-"]
    result = run_ffmpeg(
        argv, duration=2, wall_limit=60, stall_limit=30, limits=ProcessLimits(cpu_seconds=60)
    )
    assert result.returncode == 0 and result.cpu_seconds > 0


@pytest.fixture
def no_namespaces(monkeypatch):
    """A host where no way into a private network namespace works."""
    monkeypatch.setattr(runner, "NETWORK_WRAPPERS", (("/nonexistent/unshare", "--net", "--"),))
    runner.network_wrapper.cache_clear()
    yield
    runner.network_wrapper.cache_clear()


def test_without_namespaces_the_tools_still_run_and_a_warning_says_so(no_namespaces, caplog):
    with caplog.at_level(logging.WARNING, logger="media_pipeline.runner"):
        returncode, stdout, _ = probe(["echo", "probed"], timeout=10, isolate_network=True)
    assert (returncode, stdout) == (0, "probed\n")
    assert "WITH network access" in caplog.text and "/nonexistent/unshare --net" in caplog.text

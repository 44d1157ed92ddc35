"""`make run`'s processes (Procfile.dev through honcho) cannot leave a scheduler behind.

The real processes are started from the Procfile.dev lines in a session of their own, with
the filesystem broker under a temporary ATTUNE_VAR_DIR. Honcho puts each process in a session
of its own and an orphan is re-parented, so a process is found by a marker in its
environment, which every descendant inherits; each one is killed at the end, whatever happened.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "celery").exists(), reason="Procfile.dev runs .venv/bin/celery"
)


def procfile_dev() -> dict[str, str]:
    lines = {}
    for line in (ROOT / "Procfile.dev").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            lines[name.strip()] = command.strip()
    return lines


def environment(var_dir: Path) -> dict:
    """The embedded default (filesystem broker, file lock only) in a folder of the test's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL", "DATABASE_URL"}
    }
    env.update(
        ATTUNE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="lms.settings.test",
        ATTUNE_BEAT_LOCK_URL="",
        PYTHONUNBUFFERED="1",
    )
    return env


class Session:
    """A process started in a new session, its output collected by a thread."""

    def __init__(self, argv: list[str], env: dict):
        self.marker = f"ATTUNE_PROCESS_TEST={uuid.uuid4().hex}".encode()
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**env, "ATTUNE_PROCESS_TEST": self.marker.decode().split("=", 1)[1]},
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, *texts: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(text in self.output for text in texts):
                return
            if self.process.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.2)
        pytest.fail(f"Never saw {texts!r}:\n{self.output}")

    def members(self) -> dict[int, tuple[int, str]]:
        """Live processes started from this one: pid -> (parent pid, command line)."""
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
                environ = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            state, parent = fields[0], int(fields[1])
            if self.marker in environ and state != "Z":
                found[int(entry)] = (parent, cmdline.replace(b"\0", b" ").decode())
        return found

    def kill_everything(self) -> None:
        for pid in self.members():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


@pytest.fixture
def sessions():
    started: list[Session] = []

    def start(argv, env):
        session = Session(argv, env)
        started.append(session)
        return session

    yield start
    for session in started:
        session.kill_everything()
    assert not any(session.members() for session in started)


def _celery(members: dict, role: str) -> list[int]:
    """The celery processes themselves (not honcho's `sh -c` around each line)."""
    return [
        pid
        for pid, (_, cmd) in members.items()
        if f"celery -A lms {role}" in cmd and not cmd.startswith(("/bin/sh", "sh "))
    ]


def test_no_process_embeds_the_scheduler_in_a_worker():
    production = (ROOT / "Procfile").read_text()
    for name, command in procfile_dev().items():
        assert " -B" not in command and "--beat" not in command, name
    assert " -B" not in production and "--beat" not in production
    assert "celery -A lms beat" in procfile_dev()["beat"]


def test_killing_make_runs_worker_leaves_no_scheduler_and_a_second_one_refuses(sessions, tmp_path):
    env = environment(tmp_path)
    honcho = sessions([str(BIN / "honcho"), "-f", "Procfile.dev", "start", "worker", "beat"], env)
    honcho.wait_for("ready.", "beat: Starting...")

    running = honcho.members()
    beats = _celery(running, "beat")
    workers = _celery(running, "worker")
    assert len(beats) == 1, running
    main = [pid for pid in workers if running[pid][0] not in workers]
    assert len(main) == 1, running
    pool = [pid for pid in workers if running[pid][0] == main[0]]
    assert len(pool) == 2, running  # --concurrency 2: prefork children of the worker
    assert (tmp_path / "celerybeat.lock").read_text().startswith(f"pid {beats[0]} ")

    # A second scheduler, started as Procfile.dev starts one, refuses and says why.
    second = sessions(["/bin/sh", "-c", f"exec {procfile_dev()['beat']}"], env)
    assert second.process.wait(timeout=60) == 1
    second.reader.join(timeout=10)
    assert "Celery beat is already running" in second.output
    assert f"pid {beats[0]} " in second.output
    assert beats[0] in honcho.members()

    os.kill(main[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while honcho.members() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert honcho.members() == {}, honcho.output  # no beat, no pool child, no honcho
    assert honcho.process.wait(timeout=10) != 0

    # The lock died with its scheduler: the next `make run` schedules again.
    third = sessions(["/bin/sh", "-c", f"exec {procfile_dev()['beat']}"], env)
    third.wait_for("beat: Starting...")
    time.sleep(1)
    assert third.process.poll() is None, third.output
    third.process.terminate()
    assert third.process.wait(timeout=30) == 0


def _redis_url() -> str | None:
    import redis

    url = os.environ.get("ATTUNE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return None
    return url


def test_beats_on_different_hosts_exclude_each_other_through_redis():
    from lms.operations.beat import BeatAlreadyRunning, RedisLock

    url = _redis_url()
    if url is None:
        pytest.skip("No Redis at ATTUNE_TEST_REDIS_URL / 127.0.0.1:6379: the multi-host lock")
    name = f"attune-test:beat-lock:{uuid.uuid4().hex}"
    first, second = RedisLock(url, name, 1.5), RedisLock(url, name, 1.5)
    first.acquire()
    try:
        with pytest.raises(BeatAlreadyRunning, match="already running"):
            second.acquire()
        for _ in range(4):  # the running beat renews on each tick: the lock outlives its TTL
            time.sleep(0.5)
            first.renew()
        with pytest.raises(BeatAlreadyRunning):
            second.acquire()
    finally:
        first.release()
    second.acquire()  # released on shutdown: the next beat starts at once
    time.sleep(2)  # a beat that stops ticking loses the lock, and stops rather than run twice
    with pytest.raises(BeatAlreadyRunning, match="lost its Redis lock"):
        second.renew()


def test_a_beat_on_another_host_refuses_through_redis(sessions, tmp_path):
    """Two machines (two var dirs, so two file locks) share the production Redis."""
    import redis

    url = _redis_url()
    if url is None:
        pytest.skip("No Redis at ATTUNE_TEST_REDIS_URL / 127.0.0.1:6379: the multi-host lock")
    name = f"attune-test:beat-lock:{uuid.uuid4().hex}"
    shared = {"ATTUNE_BEAT_LOCK_URL": url, "ATTUNE_BEAT_LOCK_NAME": name}
    beat = ["/bin/sh", "-c", f"exec {procfile_dev()['beat']}"]
    first = sessions(beat, {**environment(tmp_path / "host-1"), **shared})
    first.wait_for("beat: Starting...")
    time.sleep(1)
    assert first.process.poll() is None, first.output
    assert redis.Redis.from_url(url).get(name) == f"pid {first.process.pid} on ".encode() + (
        os.uname().nodename.encode()
    )

    second = sessions(beat, {**environment(tmp_path / "host-2"), **shared})
    assert second.process.wait(timeout=60) == 1
    second.reader.join(timeout=10)
    assert f"Celery beat is already running (pid {first.process.pid} " in second.output
    assert f"Redis lock {name!r}" in second.output

    first.process.terminate()  # a clean stop hands the lock over at once
    assert first.process.wait(timeout=30) == 0
    assert redis.Redis.from_url(url).get(name) is None

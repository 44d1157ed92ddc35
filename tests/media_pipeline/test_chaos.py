"""Chaos: a real worker killed with SIGKILL three times in the middle of transcodes, and the
Redis broker restarted (empty: no persistence) once while work is queued.

The broker is a private ``redis-server`` on a free port, owned by this test, so restarting it
never disturbs the machine's shared Redis. Celery beat runs beside the worker, as in
production, so the periodic sweep re-queues what the lost broker forgot. In the end every
recording is ready exactly once (hostile uploads mixed in are rejected), no task is lost and
storage holds only the published attempt's files.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from media_pipeline.models import AttemptKind, AttemptStatus, Recording, RecordingStatus
from media_pipeline.storage import list_tree
from tests.conftest import ROOT, WorkerProcess, worker_environment
from tests.factories import OrganizationFactory

from .hostile import BAD_INPUTS, make_bad_file
from .media import make_clip
from .recordings import upload
from .workers import processes_mentioning, wait_for

pytestmark = pytest.mark.worker

GOOD = 6
HOSTILE = ("concat list to /etc/passwd and a URL", "H.264 header claiming 12000×12000")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server without persistence on its own port: restarting it empties it."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        # Its log says when it accepts connections: read up to that line (no polling).
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                return self
        raise AssertionError(f"redis-server on port {self.port} did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.process:
            self.process.stdout.close()

    def restart(self):
        self.stop()
        return self.start()


class BeatProcess(WorkerProcess):
    """``celery beat``, run beside the worker as in production."""

    def start(self):
        self.log_path = self.log_dir / f"{self.name}-{time.time_ns()}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lms", "beat", "-l", "info",
                "-s", str(self.log_dir / f"{self.name}-{os.getpid()}-schedule"),
            ],
            cwd=ROOT, env=worker_environment(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        return self


def forget_broker_connections():
    """This process's Celery app keeps pooled connections and its result backend; drop them
    so the next use connects to the broker the environment names now."""
    from lms.celery import app

    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def private_broker(transactional_db, monkeypatch, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(free_port()).start()
    # The worker and beat read these from the environment; Celery in this process reads the
    # broker and result backend from it too.
    for name, value in {
        "CELERY_BROKER_URL": f"{redis.url}/0",
        "CELERY_RESULT_BACKEND": f"{redis.url}/1",
        # This beat's single-scheduler lock: the file in this run's own folder only. Not the
        # machine's shared Redis (another run's beat would keep it from starting) nor this
        # private one (the restart below empties it, and a beat without its lock stops).
        "ATTUNE_BEAT_LOCK_URL": "",
        # A dead worker's unacknowledged message comes back after 10 s.
        "CELERY_BROKER_VISIBILITY_TIMEOUT": "10",
        "MEDIA_PIPELINE_LEASE_SECONDS": "4",
        # Longer than a recording waits its turn here, so the sweep only brings back what
        # the broker lost (or a dead worker left).
        "MEDIA_PIPELINE_STUCK_AFTER_SECONDS": "15",
        "MEDIA_PIPELINE_SWEEP_SECONDS": "3",
        # The slow preset makes each ladder take seconds, long enough to be caught mid-encode.
        "MEDIA_PIPELINE_X264_PRESET": "slow",
    }.items():
        monkeypatch.setenv(name, value)
    forget_broker_connections()
    try:
        yield redis
    finally:
        redis.stop()
        forget_broker_connections()


def good_recordings_by(ids):
    return Recording.objects.filter(pk__in=ids)


def test_killed_workers_and_a_restarted_broker_lose_nothing(
    private_broker, tmp_path, fifo, http_server
):
    started = time.monotonic()
    worker = WorkerProcess(name="chaos-worker")
    beat = BeatProcess(name="chaos-beat")
    owner = OrganizationFactory()
    # Twenty seconds of video: long enough that a ladder saves its progress (every few
    # seconds) before it ends, so a worker can be killed mid-ladder.
    clip = make_clip(tmp_path / "circle-of-security.mp4", seconds=20, size="640x360")
    good, hostile, logs = [], {}, []
    try:
        worker.start().wait_ready()
        beat.start()
        for number in range(GOOD):
            good.append(upload(owner, clip, title=f"Session {number + 1}").pk)
        for kind in HOSTILE:
            folder = tmp_path / f"hostile-{len(hostile)}"
            folder.mkdir()
            hostile[upload(owner, make_bad_file(kind, folder, fifo, http_server)).pk] = kind

        victims: list[int] = []

        def ladder_under_way():
            """A recording (not yet killed once) in the middle of its ladder."""
            for recording in good_recordings_by(good).exclude(pk__in=victims):
                running = recording.transcode_attempts.filter(
                    kind=AttemptKind.LADDER, status=AttemptStatus.RUNNING
                ).first()
                if running and recording.progress > 0:
                    return recording.pk, running
            return None

        def kill_mid_ladder():
            victim, attempt = wait_for(
                ladder_under_way, timeout=120, what="a ladder is being encoded"
            )
            work = settings.MEDIA_PIPELINE_WORK_DIR / f"{attempt.recording.key}-attempt-"
            worker.kill(signal.SIGKILL)
            logs.append(worker.log())
            victims.append(victim)
            wait_for(
                lambda: not processes_mentioning(f"{work}{attempt.number}"),
                timeout=10,
                what="ffmpeg died with its worker",
            )
            worker.start().wait_ready()

        kill_mid_ladder()
        # The broker restarts empty while the worker encodes and other recordings wait:
        # their messages are gone; the sweep (or the next worker's start) brings them back.
        wait_for(
            lambda: (
                ladder_under_way()
                and good_recordings_by(good).exclude(status=RecordingStatus.READY).count() >= 2
            ),
            timeout=120,
            what="a ladder is under way with another recording waiting",
        )
        private_broker.restart()
        kill_mid_ladder()
        kill_mid_ladder()

        wait_for(
            lambda: (
                not good_recordings_by(good)
                .exclude(status=RecordingStatus.READY, lease_token="")
                .exists()
                and not Recording.objects.filter(pk__in=hostile)
                .exclude(status=RecordingStatus.REJECTED)
                .exists()
            ),
            timeout=240,
            what="every recording is finished",
        )
        elapsed = time.monotonic() - started
    finally:
        worker.stop()
        beat.stop()
        logs = "".join([*logs, worker.log()])
        private_root = Path(settings.STORAGES["media_pipeline"]["OPTIONS"]["location"])
        leftovers_in_work = sorted(
            folder.name
            for recording in Recording.objects.all()
            for folder in settings.MEDIA_PIPELINE_WORK_DIR.glob(f"{recording.key}-*")
        )
        stored = {
            recording.pk: sorted(list_tree(recording.storage_prefix))
            for recording in Recording.objects.all()
        }
        for recording in Recording.objects.all():
            shutil.rmtree(private_root / recording.storage_prefix, ignore_errors=True)

    assert len(victims) == 3 and len(set(victims)) == 3
    for recording in good_recordings_by(good):
        attempts = list(recording.transcode_attempts.order_by("number"))
        ladders = [a for a in attempts if a.kind == AttemptKind.LADDER]
        succeeded = [a for a in ladders if a.status == AttemptStatus.SUCCEEDED]
        assert len(succeeded) == 1, f"{recording} published exactly once: {attempts}"
        published = succeeded[0]
        assert recording.published_attempt == published and recording.progress == 100
        assert {r.attempt_id for r in recording.renditions.all()} == {published.pk}
        if recording.pk in victims:
            assert AttemptStatus.ABANDONED in {a.status for a in ladders}
        # No orphan files: every other attempt's outputs were removed.
        assert all(a.files_removed for a in attempts if a.pk != published.pk)
        outputs = {n for n in stored[recording.pk] if n.startswith(f"{published.output_prefix}/")}
        assert set(stored[recording.pk]) == {recording.source.name} | outputs
        assert f"{published.output_prefix}/master.m3u8" in outputs
    for recording in Recording.objects.filter(pk__in=hostile):
        assert BAD_INPUTS[hostile[recording.pk]] in recording.error
        assert stored[recording.pk] == [recording.source.name]
    assert fifo.opened == 0 and http_server.hits == []
    assert leftovers_in_work == [], "no work folder is left behind"
    assert "Re-queued stuck recording" in logs, "the sweep brought back what the broker lost"
    print(
        f"\nchaos: {GOOD} recordings + {len(HOSTILE)} hostile, 3 SIGKILLs, 1 broker restart, "
        f"{logs.count('Re-queued stuck recording')} re-queued by the sweep, "
        f"{elapsed:.0f} s"
    )

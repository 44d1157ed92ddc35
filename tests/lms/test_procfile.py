"""The production process list (``Procfile``, described in docs/deploy.md) runs: each line is
started as a process manager would start it (through a shell, with the test settings), and
answers: the web process serves /healthz, each worker takes its queue's tasks, beat's
schedule names registered tasks, and the release step migrates."""

import json
import os
import shlex
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from lms.celery import app, ping
from tests.conftest import purge_queues, worker_environment

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = {"release", "web", "worker", "transcode", "beat"}


def procfile() -> dict[str, str]:
    lines = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            lines[name.strip()] = command.strip()
    return lines


def start(name: str, *, extra: str = "", **env) -> subprocess.Popen:
    """Start the Procfile's ``name`` line through a shell, as honcho or systemd would."""
    bin_dir = str(Path(sys.executable).parent)
    environment = worker_environment(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **env)
    return subprocess.Popen(
        ["/bin/sh", "-c", f"exec {procfile()[name]} {extra}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def queues_of(command: str) -> set[str]:
    words = shlex.split(command)
    return set(words[words.index("-Q") + 1].split(","))


def test_the_procfile_lists_each_process_once_and_the_workers_split_the_queues():
    lines = procfile()
    assert set(lines) == PROCESSES
    assert queues_of(lines["worker"]) == {"default"}
    assert queues_of(lines["transcode"]) == {"transcode"}
    defined = {queue.name for queue in app.conf.task_queues}
    assert defined == set(settings.CELERY_TASK_QUEUES_NAMES) == {"default", "transcode"}
    # A transcode worker runs one ffmpeg at a time: the ladder already uses every core.
    assert "--concurrency 1" in lines["transcode"]


def test_beat_schedules_only_registered_tasks():
    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
    assert shlex.split(procfile()["beat"])[:4] == ["celery", "-A", "lms", "beat"]


@pytest.mark.django_db(transaction=True)  # nothing held open: the process writes the database
def test_the_release_step_migrates():
    process = start("release")
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    assert "No migrations to apply" in output


@pytest.mark.django_db
def test_the_web_process_serves_the_health_check():
    port = free_port()
    process = start("web", PORT=str(port), WEB_CONCURRENCY="1", WEB_THREADS="2")
    try:
        # gunicorn says where it listens once the socket is bound; requests queue from then on.
        for line in process.stdout:
            if f"Listening at: http://0.0.0.0:{port}" in line:
                break
        else:
            pytest.fail("gunicorn exited before listening")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"status": "ok"}
    finally:
        stop(process)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["worker", "transcode"])
def test_each_worker_takes_the_tasks_of_its_queue(name):
    purge_queues()
    queue = "default" if name == "worker" else "transcode"
    process = start(
        name,
        extra=f"--pool solo --without-gossip --without-mingle -n procfile-{name}-{os.getpid()}@%h",
        WORKER_CONCURRENCY="1",
    )
    try:
        assert ping.apply_async(args=[queue], queue=queue).get(timeout=120) == queue
    finally:
        output = stop(process)
    assert f"procfile-{name}-" in output and f".> {queue}" in output

"""Transcode failures by cause, with real workers: crashes, a database outage and a full
work disk are infrastructure faults, retried without using the recording's content
attempts, and the recording ends ready exactly once with only its final files stored."""

import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from media_pipeline.models import AttemptKind, AttemptStatus, Recording, RecordingStatus
from media_pipeline.storage import list_tree
from tests.conftest import purge_queues
from tests.factories import OrganizationFactory

from .faults import GroupWorker, TcpProxy, TinyDisk
from .media import make_clip
from .recordings import upload
from .workers import processes_mentioning, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def fault_env(transactional_db, monkeypatch):
    # A short lease (a dead worker's runs out quickly); a slow preset, so a few seconds of
    # video take long enough to be caught mid-encode.
    monkeypatch.setenv("MEDIA_PIPELINE_LEASE_SECONDS", "4")
    monkeypatch.setenv("MEDIA_PIPELINE_X264_PRESET", "veryslow")
    purge_queues()
    workers = []

    def make(name, **env):
        worker = GroupWorker(name=name, env=env)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


def ladder_running(recording_id, *, after: int = 0):
    """The recording's running ladder attempt numbered above ``after``, once under way."""
    current = Recording.objects.get(pk=recording_id)
    running = current.transcode_attempts.filter(
        kind=AttemptKind.LADDER, status=AttemptStatus.RUNNING, number__gt=after
    ).first()
    return running if running and 0 < current.progress < 90 else None


def finished_and_released(recording_id):
    """Ready, failed or rejected, and let go by its worker (the assertions say which)."""
    return Recording.objects.filter(
        pk=recording_id,
        status__in=(RecordingStatus.READY, RecordingStatus.FAILED, RecordingStatus.REJECTED),
        lease_token="",
    ).exists()


def assert_published_once_with_only_final_files(recording):
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.READY, recording.error
    attempts = list(recording.transcode_attempts.order_by("number"))
    published = [a for a in attempts if a.status == AttemptStatus.SUCCEEDED]
    assert len(published) == 1 and published[0].kind == AttemptKind.LADDER, attempts
    assert recording.published_attempt == published[0]
    assert all(a.files_removed for a in attempts if a.pk != published[0].pk)
    stored = set(list_tree(recording.storage_prefix))
    assert stored == {recording.source.name} | set(list_tree(published[0].output_prefix))
    assert not list(settings.MEDIA_PIPELINE_WORK_DIR.glob(f"{recording.key}-*"))
    return attempts


def remove_files(recording):
    private_root = Path(settings.STORAGES["media_pipeline"]["OPTIONS"]["location"])
    shutil.rmtree(private_root / recording.storage_prefix, ignore_errors=True)


def test_three_crashes_during_one_encode_still_end_ready_without_using_content_attempts(
    fault_env, tmp_path
):
    worker = fault_env("crashing")
    clip = make_clip(tmp_path / "home-visit.mp4", seconds=20, size="640x360")
    worker.start().wait_ready()
    recording = upload(OrganizationFactory(), clip)
    killed = []
    try:
        for _ in range(3):
            attempt = wait_for(
                lambda: ladder_running(recording.pk, after=max(killed, default=0)),
                timeout=120,
                what="the ladder is being encoded",
            )
            worker.kill_group()
            killed.append(attempt.number)
            work = settings.MEDIA_PIPELINE_WORK_DIR / f"{recording.key}-attempt-{attempt.number}"
            assert not processes_mentioning(str(work)), "ffmpeg went with its process group"
            worker.start().wait_ready()
        wait_for(lambda: finished_and_released(recording.pk), timeout=180, what="it is finished")
        attempts = assert_published_once_with_only_final_files(recording)
        crashed = [a for a in attempts if a.number in killed]
        assert [a.status for a in crashed] == [AttemptStatus.ABANDONED] * 3
        assert {a.cause for a in crashed} == {"infrastructure"}
        assert (recording.attempts, recording.infrastructure_retries) == (0, 3)
        assert recording.error == ""
    finally:
        worker.stop()
        remove_files(recording)


def test_a_database_outage_seen_by_the_worker_is_retried_by_celery(fault_env, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the outage is a TCP proxy cut between the worker and the "
            "database server (set DATABASE_URL; CI does)"
        )
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))).start()
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    worker = fault_env(
        "db-outage", DATABASE_URL=f"postgres://{auth}@127.0.0.1:{proxy.port}/{db['NAME']}"
    )
    # 20 s, as in the crash test: the ladder is fast enough to finish a 6 s clip between two
    # progress saves, and the outage must land mid-encode.
    clip = make_clip(tmp_path / "reflective-supervision.mp4", seconds=20, size="640x360")
    worker.start().wait_ready()
    recording = upload(OrganizationFactory(), clip)
    try:
        wait_for(lambda: ladder_running(recording.pk), timeout=120, what="the ladder runs")
        proxy.stop()
        time.sleep(10)  # the outage itself: ten seconds without the database
        proxy.start()
        back = time.monotonic()
        wait_for(lambda: finished_and_released(recording.pk), timeout=180, what="it is finished")
        recovered = time.monotonic() - back
        attempts = assert_published_once_with_only_final_files(recording)
        interrupted = [a for a in attempts if a.status == AttemptStatus.ABANDONED]
        assert interrupted and {a.cause for a in interrupted} == {"infrastructure"}
        assert "database" in interrupted[0].error
        assert recording.attempts == 0, "no content attempt used"
        assert "Retry in" in worker.log(), "Celery retried the task (there is no sweep here)"
        print(f"\ndatabase outage: ready {recovered:.1f} s after the database came back")
    finally:
        worker.stop()
        proxy.stop()
        remove_files(recording)


def test_a_full_work_disk_names_the_cause_and_ends_ready_once_space_returns(fault_env, tmp_path):
    disk = TinyDisk(tmp_path / "work", size="64k")
    if not disk.mount():
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    try:
        worker = fault_env("full-disk", ATTUNE_FAULT_WORK_DIR=str(disk.path))
        clip = make_clip(tmp_path / "attachment.mp4", seconds=3, size="640x360")
        worker.start().wait_ready()
        recording = upload(OrganizationFactory(), clip)
        try:
            wait_for(
                lambda: "work disk is full" in Recording.objects.get(pk=recording.pk).error,
                timeout=120,
                what="the status names the full disk",
            )
            current = Recording.objects.get(pk=recording.pk)
            assert current.status == RecordingStatus.TRANSCODING
            assert "ENOSPC" in current.error and "retrying" in current.error
            disk.grow("256m")
            wait_for(
                lambda: finished_and_released(recording.pk), timeout=120, what="it is finished"
            )
            attempts = assert_published_once_with_only_final_files(recording)
            failed = [a for a in attempts if a.status == AttemptStatus.FAILED]
            assert failed and {a.cause for a in failed} == {"infrastructure"}
            assert recording.attempts == 0 and recording.infrastructure_retries >= 1
            assert not list(disk.path.iterdir()), "the work disk is left empty"
        finally:
            worker.stop()
            remove_files(recording)
    finally:
        disk.unmount()

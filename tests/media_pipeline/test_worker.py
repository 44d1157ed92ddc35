"""A real Celery worker, killed with SIGKILL in the middle of an encode, then restarted."""

import shutil
import signal
from pathlib import Path

import pytest
from django.conf import settings

from media_pipeline.models import AttemptKind, AttemptStatus, Recording, RecordingStatus
from media_pipeline.storage import list_tree
from tests.conftest import WorkerProcess, purge_queues
from tests.factories import OrganizationFactory

from .media import make_clip
from .recordings import upload
from .workers import processes_mentioning, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def slow_worker(transactional_db, monkeypatch):
    # The worker reads these from the environment: a short lease, so a dead worker's lease
    # runs out quickly, and a slow preset, so a few seconds of video take long enough to
    # be caught mid-encode.
    monkeypatch.setenv("MEDIA_PIPELINE_LEASE_SECONDS", "4")
    monkeypatch.setenv("MEDIA_PIPELINE_X264_PRESET", "veryslow")
    purge_queues()
    worker = WorkerProcess(name="media-pipeline")
    yield worker
    worker.stop()


def test_worker_killed_mid_transcode_recovers_and_publishes_exactly_once(slow_worker, tmp_path):
    clip = make_clip(tmp_path / "webinar.mp4", seconds=20, size="640x360")
    slow_worker.start().wait_ready()
    recording = upload(OrganizationFactory(), clip)  # committed: queues the check at once
    try:
        # Caught in the middle of the full ladder, after the quick remux was published.
        def ladder_under_way():
            current = Recording.objects.get(pk=recording.pk)
            running = current.transcode_attempts.filter(
                kind=AttemptKind.LADDER, status=AttemptStatus.RUNNING
            ).first()
            return running if running and 0 < current.progress < 90 else None

        dead = wait_for(ladder_under_way, timeout=120, what="the ladder is being encoded")
        recording.refresh_from_db()
        assert recording.status == RecordingStatus.TRANSCODING and recording.is_playable
        dead_work = settings.MEDIA_PIPELINE_WORK_DIR / f"{recording.key}-attempt-{dead.number}"
        assert dead_work.exists()

        slow_worker.kill(signal.SIGKILL)
        wait_for(
            lambda: not processes_mentioning(str(dead_work)),
            timeout=10,
            what="ffmpeg died with its worker",
        )
        assert Recording.objects.get(pk=recording.pk).status == RecordingStatus.TRANSCODING

        slow_worker.start().wait_ready()
        wait_for(
            lambda: Recording.objects.filter(
                pk=recording.pk, status=RecordingStatus.READY, lease_token=""
            ).exists(),
            timeout=180,
            what="the restarted worker finishes the recording and lets it go",
        )

        recording.refresh_from_db()
        attempts = list(recording.transcode_attempts.order_by("number"))
        assert [(a.kind, a.status) for a in attempts] == [
            (AttemptKind.REMUX, AttemptStatus.SUPERSEDED),
            (AttemptKind.LADDER, AttemptStatus.ABANDONED),
            (AttemptKind.LADDER, AttemptStatus.SUCCEEDED),
        ], "published exactly once after the crash"
        remux, abandoned, published = attempts
        assert abandoned.pk == dead.pk and recording.published_attempt == published
        assert remux.files_removed and abandoned.files_removed
        # The crash is counted as ours (infrastructure), not against the file's attempts.
        assert (recording.progress, recording.attempts) == (100, 0)
        assert recording.infrastructure_retries == 1 and abandoned.cause == "infrastructure"
        assert {r.attempt_id for r in recording.renditions.all()} == {published.pk}

        stored = list_tree(recording.storage_prefix)
        assert not [name for name in stored if f"/attempt-{dead.number}/" in name]
        assert set(stored) == {recording.source.name} | set(list_tree(published.output_prefix))
        assert not dead_work.exists(), "the dead attempt's work folder is gone"
        assert not list(settings.MEDIA_PIPELINE_WORK_DIR.glob(f"{recording.key}-*"))
        assert "Abandoned" in slow_worker.log()
    finally:
        slow_worker.stop()
        private_root = Path(settings.STORAGES["media_pipeline"]["OPTIONS"]["location"])
        shutil.rmtree(private_root / recording.storage_prefix, ignore_errors=True)
        for folder in settings.MEDIA_PIPELINE_WORK_DIR.glob(f"{recording.key}-*"):
            shutil.rmtree(folder, ignore_errors=True)

"""The Celery tasks' own decisions, run in process (the worker test runs them for real)."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from media_pipeline import tasks
from media_pipeline.models import Recording, RecordingStatus
from media_pipeline.services.leases import acquire_lease, renew_lease
from media_pipeline.storage import PrivateFileSystemStorage

from .recordings import upload


def test_tasks_route_to_the_transcode_queue():
    from lms.celery import app

    for task in (tasks.probe_recording, tasks.transcode_recording):
        assert app.amqp.router.route({}, task.name)["queue"].name == "transcode"
        assert task.acks_late


def test_a_deleted_recording_is_skipped(db):
    assert tasks.transcode_recording.apply(args=[987654]).get() == "deleted"
    assert tasks.probe_recording.apply(args=[987654]).get() == "deleted"


def test_a_held_recording_is_retried_when_the_lease_may_have_run_out(
    owner, private_storage, clips, monkeypatch
):
    recording = upload(owner, clips("webinar.mp4", seconds=8))
    acquire_lease(recording_id=recording.pk)
    retries = []

    def retry(**options):
        retries.append(options)
        return Retry()

    for task in (tasks.probe_recording, tasks.transcode_recording):
        monkeypatch.setattr(task, "retry", retry)
        with pytest.raises(Retry):
            task(recording.pk)
    assert [round(r["countdown"]) for r in retries] == [61, 61]
    assert tasks.transcode_recording.max_retries is None
    assert Recording.objects.get(pk=recording.pk).status == RecordingStatus.UPLOADED


@pytest.fixture
def recording_in(owner, private_storage, clips):
    """A recording put straight into a status, optionally held by a lease that runs out in
    ``lease_seconds`` (negative: ran out) and last touched ``idle_seconds`` ago."""

    def make(status, lease_seconds=None, idle_seconds=0):
        made = upload(owner, clips("webinar.mp4", seconds=8))
        fields = {"status": status, "updated_at": timezone.now() - timedelta(seconds=idle_seconds)}
        if lease_seconds is not None:
            fields.update(
                lease_token="someone",
                lease_expires_at=timezone.now() + timedelta(seconds=lease_seconds),
            )
        Recording.objects.filter(pk=made.pk).update(**fields)
        return made.pk

    return make


@pytest.fixture
def queued_steps(monkeypatch):
    """What the tasks queue, as (task, recording id, countdown), instead of queueing it."""
    queued = []
    for task in (tasks.probe_recording, tasks.transcode_recording):
        name = task.name.rsplit(".", 1)[1]
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, countdown=0, name=name: queued.append((name, args[0], countdown)),
        )
    return queued


def test_unfinished_recordings_are_queued_again_when_their_leases_run_out(
    recording_in, queued_steps
):
    recording = recording_in
    uploaded = recording(RecordingStatus.UPLOADED)
    held = recording(RecordingStatus.TRANSCODING, lease_seconds=30)
    dead = recording(RecordingStatus.TRANSCODING, lease_seconds=-30)
    recording(RecordingStatus.FAILED)
    recording(RecordingStatus.REJECTED)

    queued = queued_steps
    assert tasks.resume_unfinished_recordings() == 3
    by_id = {pk: (step, countdown) for step, pk, countdown in queued}
    assert by_id[uploaded] == ("probe_recording", 0)
    assert by_id[dead] == ("transcode_recording", 0)
    assert by_id[held][0] == "transcode_recording"
    assert by_id[held][1] == pytest.approx(31, abs=2), "waits until the lease runs out"


class UnreachableStorage(PrivateFileSystemStorage):
    def size(self, name):
        raise OSError("the object store did not answer")


def test_a_check_that_keeps_failing_ends_the_recording_as_failed(
    owner, private_storage, clips, settings, monkeypatch
):
    recording = upload(owner, clips("webinar.mp4", seconds=8))
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            **settings.STORAGES["media_pipeline"],
            "BACKEND": f"{__name__}.UnreachableStorage",
        },
    }
    retries = []
    monkeypatch.setattr(
        tasks.probe_recording, "retry", lambda **options: retries.append(options) or Retry()
    )
    with pytest.raises(Retry):
        tasks.probe_recording(recording.pk)
    assert retries == [{"countdown": 30}]
    assert Recording.objects.get(pk=recording.pk).status == RecordingStatus.PROBING

    # The last allowed retry gives up with the reason.
    assert tasks.probe_recording.apply(args=[recording.pk], retries=3).get() == "failed"
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.FAILED
    assert recording.error == (
        "The file could not be checked: could not probe: the object store did not answer"
    )


def test_the_sweep_requeues_what_a_vanished_worker_or_a_lost_message_left_behind(
    recording_in, queued_steps, settings
):
    settings.MEDIA_PIPELINE_STUCK_AFTER_SECONDS = 600
    vanished = recording_in(RecordingStatus.TRANSCODING, lease_seconds=-5)
    probing_vanished = recording_in(RecordingStatus.PROBING, lease_seconds=-5)
    lost = recording_in(RecordingStatus.QUEUED, idle_seconds=900)
    lost_upload = recording_in(RecordingStatus.UPLOADED, idle_seconds=900)
    recording_in(RecordingStatus.TRANSCODING, lease_seconds=30)  # a worker is on it
    recording_in(RecordingStatus.QUEUED, idle_seconds=60)  # waiting its turn
    recording_in(RecordingStatus.FAILED, idle_seconds=900)
    recording_in(RecordingStatus.REJECTED, idle_seconds=900, lease_seconds=-5)

    requeued = tasks.requeue_stuck_recordings.apply().get()

    assert sorted(requeued) == sorted([vanished, probing_vanished, lost, lost_upload])
    assert sorted(queued_steps) == sorted(
        [
            ("transcode_recording", vanished, 0),
            ("probe_recording", probing_vanished, 0),
            ("transcode_recording", lost, 0),
            ("probe_recording", lost_upload, 0),
        ]
    )
    swept = Recording.objects.filter(pk__in=requeued)
    assert not swept.exclude(lease_token="").exists(), "the dead leases are cleared"
    assert set(swept.values_list("status", flat=True)) <= {
        RecordingStatus.TRANSCODING, RecordingStatus.PROBING,
        RecordingStatus.QUEUED, RecordingStatus.UPLOADED,
    }, "the status is the next worker's business"  # fmt: skip

    # Queued once: a second sweep right away finds nothing new.
    queued_steps.clear()
    assert tasks.requeue_stuck_recordings() == [] and queued_steps == []


def test_the_sweep_leaves_a_recording_a_worker_took_in_the_meantime(recording_in, queued_steps):
    stuck = recording_in(RecordingStatus.TRANSCODING, lease_seconds=-5)
    lease = acquire_lease(recording_id=stuck)  # a restarted worker got there first
    assert tasks.requeue_stuck_recordings() == [] and queued_steps == []
    renew_lease(lease)  # still its own


def test_beat_runs_the_sweep_on_the_default_queue():
    from django.conf import settings

    from lms.celery import app

    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.requeue_stuck_recordings.name
    ]
    assert len(entries) == 1 and entries[0]["options"] == {"queue": "default"}
    assert 0 < entries[0]["schedule"] <= 300
    assert tasks.requeue_stuck_recordings.name in app.tasks

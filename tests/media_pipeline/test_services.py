"""The recording's life through the services, in process, with real ffmpeg and storage."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.organizations.models import Role
from media_pipeline import tasks
from media_pipeline.models import (
    AttemptCause,
    AttemptKind,
    AttemptStatus,
    Recording,
    RecordingStatus,
    TranscodeAttempt,
)
from media_pipeline.selectors import published_renditions, recordings_for_owner
from media_pipeline.services.leases import RecordingBusy, acquire_lease
from media_pipeline.services.probing import probe_recording
from media_pipeline.services.steps import TransientError
from media_pipeline.services.transcoding import transcode_recording
from media_pipeline.storage import PrivateFileSystemStorage, pipeline_storage
from tests.factories import MembershipFactory, UserFactory

from .recordings import stored_files, upload


def attempt_files(recording, number):
    return [name for name in stored_files(recording) if f"/attempt-{number}/" in name]


@pytest.fixture
def queued(owner, private_storage, clips, django_capture_on_commit_callbacks):
    """A browser-ready 640×360 H.264/AAC recording, uploaded and probed."""
    with django_capture_on_commit_callbacks() as probe_queued:
        recording = upload(owner, clips("webinar.mp4", seconds=8))
    assert len(probe_queued) == 1, "the upload queues its check once committed"
    with django_capture_on_commit_callbacks() as transcode_queued:
        assert tasks.probe_recording(recording.pk) == RecordingStatus.QUEUED
    assert len(transcode_queued) == 1, "the check queues the transcode once committed"
    recording.refresh_from_db()
    return recording


def test_probe_records_the_facts(queued):
    assert queued.status == RecordingStatus.QUEUED
    assert (queued.width, queued.height, queued.rotation) == (640, 360, 0)
    assert queued.duration == pytest.approx(8, abs=0.1)
    assert (queued.video_codec, queued.audio_codec, queued.audio_channels) == ("h264", "aac", 2)
    assert queued.frame_rate == 30 and queued.container.startswith("mov,mp4")
    assert queued.source.name == f"recordings/{queued.key}/source/original.mp4"
    assert queued.source_size > 0 and queued.probe["format"]["format_name"]


def test_quick_first_play_then_the_full_ladder_replaces_it(queued, private_storage):
    status = transcode_recording(recording_id=queued.pk, worker="test")
    assert status == RecordingStatus.READY

    recording = Recording.objects.get(pk=queued.pk)
    remux, ladder = recording.transcode_attempts.all()
    assert (remux.kind, remux.status, remux.files_removed) == (
        AttemptKind.REMUX,
        AttemptStatus.SUPERSEDED,
        True,
    )
    assert (ladder.kind, ladder.status) == (AttemptKind.LADDER, AttemptStatus.SUCCEEDED)
    assert remux.finished_at <= ladder.started_at, "the stream copy was published first"
    assert recording.published_attempt == ladder
    assert (recording.progress, recording.attempts, recording.error) == (100, 0, "")
    assert recording.infrastructure_retries == 0
    assert recording.ready_at and not recording.lease_token

    assert [
        (r.name, r.kind, r.width, r.height) for r in published_renditions(recording=recording)
    ] == [
        ("360p", "video", 640, 360),
        ("audio", "audio", 0, 0),
    ]
    assert all(r.attempt == ladder and r.bandwidth > 0 for r in recording.renditions.all())

    # Only the source and the published attempt remain in storage; the work folder is empty.
    assert attempt_files(recording, remux.number) == []
    prefix = ladder.output_prefix
    assert recording.master_playlist.name == f"{prefix}/master.m3u8"
    assert recording.progressive.name == f"{prefix}/progressive.mp4"
    assert recording.poster.name == f"{prefix}/poster.jpg"
    for name in (recording.master_playlist.name, recording.progressive.name, recording.poster.name):
        assert pipeline_storage().exists(name)
    assert set(stored_files(recording)) == {recording.source.name} | set(
        attempt_files(recording, ladder.number)
    )
    assert not any((private_storage.parent / "work").iterdir())

    # Running it again (a duplicate message) changes nothing.
    assert transcode_recording(recording_id=queued.pk) == RecordingStatus.READY
    assert recording.transcode_attempts.count() == 2


def test_a_ready_recording_can_be_deleted_with_its_attempts(queued):
    transcode_recording(recording_id=queued.pk)
    Recording.objects.get(pk=queued.pk).delete()
    assert not TranscodeAttempt.objects.exists()


def test_a_held_recording_makes_a_second_worker_wait(queued):
    acquire_lease(recording_id=queued.pk)
    with pytest.raises(RecordingBusy) as busy:
        transcode_recording(recording_id=queued.pk)
    assert 50 < busy.value.retry_in <= 60
    assert not queued.transcode_attempts.exists()


def test_a_dead_workers_attempt_is_abandoned_and_its_files_removed(queued, private_storage):
    # What a worker killed mid-transcode leaves behind: a running attempt with uploaded files,
    # a work folder, and a lease that has since run out.
    dead = TranscodeAttempt.objects.create(
        recording=queued,
        number=1,
        kind=AttemptKind.LADDER,
        output_prefix=f"{queued.storage_prefix}/attempt-1",
        worker="a worker that was killed",
    )
    pipeline_storage().save(f"{dead.output_prefix}/360p/segment_00000.m4s", ContentFile(b"partial"))
    work = private_storage.parent / "work" / f"{queued.key}-attempt-1"
    work.mkdir(parents=True)
    (work / "leftover.m4s").write_bytes(b"partial")
    Recording.objects.filter(pk=queued.pk).update(
        status=RecordingStatus.TRANSCODING,
        attempts=1,
        lease_token="dead",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert transcode_recording(recording_id=queued.pk) == RecordingStatus.READY
    dead.refresh_from_db()
    assert (dead.status, dead.files_removed) == (AttemptStatus.ABANDONED, True)
    # The crash is ours, not the file's: counted as infrastructure, the content count kept.
    assert dead.cause == AttemptCause.INFRASTRUCTURE and "worker" in dead.error
    queued.refresh_from_db()
    assert (queued.attempts, queued.infrastructure_retries) == (1, 1)
    assert attempt_files(queued, 1) == [] and not work.exists()
    assert queued.transcode_attempts.filter(status=AttemptStatus.SUCCEEDED).count() == 1


def test_the_database_refuses_two_running_attempts(queued):
    TranscodeAttempt.objects.create(recording=queued, number=1, kind="ladder", output_prefix="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        TranscodeAttempt.objects.create(
            recording=queued, number=2, kind="ladder", output_prefix="b"
        )


def test_a_recording_is_not_ready_without_a_published_attempt(queued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recording.objects.filter(pk=queued.pk).update(status=RecordingStatus.READY)


def test_too_slow_an_encode_is_stopped_and_fails_with_the_reason(queued, settings):
    settings.MEDIA_PIPELINE_MIN_WALL_SECONDS = 0
    settings.MEDIA_PIPELINE_WALL_FACTOR = 0.001
    assert transcode_recording(recording_id=queued.pk) == RecordingStatus.FAILED
    queued.refresh_from_db()
    assert "ffmpeg ran longer than its limit" in queued.error
    assert all(a.status == AttemptStatus.FAILED for a in queued.transcode_attempts.all())
    assert stored_files(queued) == [queued.source.name]
    assert not queued.lease_token


def test_an_encode_over_its_file_size_limit_fails_with_the_reason(queued, settings):
    settings.MEDIA_PIPELINE_PROCESS_LIMITS = {"encode_file_bytes": 64 * 1024}
    assert transcode_recording(recording_id=queued.pk) == RecordingStatus.FAILED
    queued.refresh_from_db()
    assert queued.error == (
        "Processing was stopped: ffmpeg went over its file size limit of 64.0 KiB."
    )
    assert all(a.status == AttemptStatus.FAILED for a in queued.transcode_attempts.all())
    assert stored_files(queued) == [queued.source.name]


def test_a_damaged_source_fails_with_ffmpegs_reason(queued):
    # The upload is replaced by garbage after it was checked.
    path = pipeline_storage().path(queued.source.name)
    with open(path, "r+b") as handle:
        handle.truncate(2000)
    assert transcode_recording(recording_id=queued.pk) == RecordingStatus.FAILED
    queued.refresh_from_db()
    assert queued.error.startswith("ffmpeg could not process the recording:")
    assert stored_files(queued) == [queued.source.name]


class FlakyStorage(PrivateFileSystemStorage):
    """Fails to store any rendition, as an unreachable object store would."""

    def _save(self, name, content):
        if "/attempt-" in name:
            raise OSError("the object store did not answer")
        return super()._save(name, content)


def test_storage_errors_are_retried_then_the_recording_fails_and_editors_hear(
    owner, private_storage, clips, settings, mailoutbox, django_capture_on_commit_callbacks
):
    for role, email in ((Role.EDITOR, "editor@glaimh.org"), (Role.STAFF, "staff@glaimh.org")):
        MembershipFactory(organization=owner, user=UserFactory(email=email), role=role)
    settings.MEDIA_PIPELINE_MAX_INFRASTRUCTURE_RETRIES = 2
    # MPEG-4 Part 2 video is not browser-ready, so there is no quick remux to publish first.
    recording = upload(owner, clips("old-camera.mp4", seconds=2, video_codec="mpeg4"))
    assert probe_recording(recording_id=recording.pk).status == RecordingStatus.QUEUED
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            **settings.STORAGES["media_pipeline"],
            "BACKEND": f"{__name__}.FlakyStorage",
        },
    }

    for retry in (1, 2):
        with pytest.raises(TransientError) as transient:
            transcode_recording(recording_id=recording.pk)
        assert transient.value.retry_in == 30 * 2 ** (retry - 1), "exponential backoff"
        recording.refresh_from_db()
        assert recording.status == RecordingStatus.TRANSCODING
        assert (recording.attempts, recording.infrastructure_retries) == (0, retry)
        assert recording.error == (
            "The storage could not be reached (the object store did not answer) — retrying"
        )
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert transcode_recording(recording_id=recording.pk) == RecordingStatus.FAILED
    recording.refresh_from_db()
    assert recording.error.startswith("Gave up after 2 infrastructure faults")
    assert "the object store did not answer" in recording.error
    assert [(a.status, a.cause) for a in recording.transcode_attempts.all()] == [
        (AttemptStatus.FAILED, AttemptCause.INFRASTRUCTURE)
    ] * 2
    # The organization's media managers (its editors, not its other staff) are told once.
    [alert] = mailoutbox
    assert alert.to == ["editor@glaimh.org"]
    assert "old-camera" in alert.subject or recording.title in alert.subject
    assert "the object store did not answer" in alert.body
    assert f"/recordings/inspect/{recording.pk}/" in alert.body


def test_recordings_for_owner(owner, private_storage, clips):
    recording = upload(owner, clips("webinar.mp4", seconds=8))
    assert list(recordings_for_owner(owner=owner)) == [recording]
    assert not recording.is_playable

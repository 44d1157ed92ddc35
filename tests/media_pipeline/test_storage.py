"""Storage: S3 through moto's server over HTTP, bounded parallel uploads, private files."""

import threading
import time

import pytest

from media_pipeline.ffmpeg import parse_master_playlist
from media_pipeline.models import RecordingStatus
from media_pipeline.services.probing import probe_recording
from media_pipeline.services.transcoding import transcode_recording
from media_pipeline.storage import PrivateFileSystemStorage, pipeline_storage, upload_tree

from .recordings import upload
from .s3 import BUCKET


def object_names(client) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def test_recording_in_s3_is_fetched_transcoded_and_published_to_s3(s3, owner, clips, tmp_path):
    recording = upload(owner, clips("webinar.mp4", seconds=8))
    assert object_names(s3) == [f"private-media/{recording.source.name}"]

    assert probe_recording(recording_id=recording.pk).status == RecordingStatus.QUEUED
    assert transcode_recording(recording_id=recording.pk) == RecordingStatus.READY

    recording.refresh_from_db()
    prefix = f"private-media/{recording.published_attempt.output_prefix}/"
    names = object_names(s3)
    published = [name for name in names if name.startswith(prefix)]
    assert set(names) == {f"private-media/{recording.source.name}", *published}
    master = s3.get_object(Bucket=BUCKET, Key=f"private-media/{recording.master_playlist.name}")
    variants = parse_master_playlist(master["Body"].read().decode())
    assert [v.name for v in variants] == ["audio", "360p"]
    for variant in variants:
        assert f"{prefix}{variant.uri}" in published
        assert f"{prefix}{variant.name}/segment_00000.m4s" in published
    assert f"{prefix}progressive.mp4" in published and f"{prefix}poster.jpg" in published
    assert not any((tmp_path / "work").iterdir()), "the downloaded source and outputs are gone"
    # Playback URLs are signed (issue 6 builds playback on this).
    assert "X-Amz-Signature=" in recording.master_playlist.url


class SlowStorage(PrivateFileSystemStorage):
    """Counts how many saves run at once."""

    lock = threading.Lock()
    running = 0
    most = 0

    def _save(self, name, content):
        with self.lock:
            SlowStorage.running += 1
            SlowStorage.most = max(SlowStorage.most, SlowStorage.running)
        time.sleep(0.02)
        try:
            return super()._save(name, content)
        finally:
            with self.lock:
                SlowStorage.running -= 1


def test_uploads_run_in_parallel_but_bounded(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            "BACKEND": f"{__name__}.SlowStorage",
            "OPTIONS": {"location": tmp_path / "stored"},
        },
    }
    outputs = tmp_path / "out"
    for rung in ("720p", "480p"):
        (outputs / rung).mkdir(parents=True)
        for number in range(12):
            (outputs / rung / f"segment_{number:05d}.m4s").write_bytes(b"segment")
    ticks = []
    names = upload_tree(
        outputs, "recordings/x/attempt-1", workers=3, on_tick=lambda: ticks.append(1)
    )
    assert len(names) == 24 and names[0] == "recordings/x/attempt-1/480p/segment_00000.m4s"
    assert SlowStorage.most == 3
    assert ticks, "the caller's lease renewal ran during the upload"
    assert (tmp_path / "stored" / "recordings/x/attempt-1/720p/segment_00011.m4s").read_bytes() == (
        b"segment"
    )


def test_local_recordings_have_no_public_url(private_storage):
    with pytest.raises(ValueError, match="private"):
        pipeline_storage().url("recordings/x/source/original.mp4")

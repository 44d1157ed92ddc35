"""Resumable uploads through the admin's endpoints: embedded parts and S3 multipart (moto)."""

import hashlib
import json
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from lms.organizations.models import Role
from media_pipeline.models import Recording, RecordingStatus, UploadPart, UploadSession
from media_pipeline.services.probing import probe_recording
from media_pipeline.storage import pipeline_storage
from tests.factories import MembershipFactory, OrganizationFactory

from .s3 import BUCKET

NAME = "wagtailsnippets_media_pipeline_recording"


def url(action, *args):
    return reverse(f"{NAME}:{action}", args=args)


@pytest.fixture
def editor(owner):
    return MembershipFactory(organization=owner, role=Role.EDITOR).user


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def start(client, owner, data: bytes, **extra):
    body = {"owner": owner.pk, "title": "Serve and return", "filename": "talk.mp4",
            "size": len(data), "last_modified": 1700000000000, **extra}  # fmt: skip
    return client.post(url("upload_start"), json.dumps(body), content_type="application/json")


def put_part(client, key, number, chunk: bytes, *, sha=None):
    return client.put(
        url("upload_part", key, number),
        chunk,
        content_type="application/octet-stream",
        HTTP_X_PART_SHA256=sha or hashlib.sha256(chunk).hexdigest(),
    )


def parts(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.fixture
def small_parts(settings, private_storage):
    settings.MEDIA_PIPELINE_UPLOAD_PART_BYTES = 16 * 1024


def test_embedded_upload_resumes_and_completes_once(small_parts, admin_client, owner, clips):
    data = clips("upload.mp4", seconds=2, size="320x180").read_bytes()
    started = start(admin_client, owner, data)
    assert started.status_code == 201
    session = started.json()
    assert session["backend"] == "local" and session["part_size"] == 16 * 1024
    chunks = parts(data, session["part_size"])
    assert session["part_count"] == len(chunks) >= 3
    key = session["id"]
    for number, chunk in enumerate(chunks[:-1], start=1):
        assert put_part(admin_client, key, number, chunk).status_code == 200

    # The page was reloaded: choosing the same file again finds the upload and its parts.
    resumed = start(admin_client, owner, data).json()
    assert resumed["id"] == key
    assert resumed["finished_parts"] == list(range(1, len(chunks)))
    assert put_part(admin_client, key, len(chunks), chunks[-1]).status_code == 200

    done = admin_client.post(url("upload_complete", key))
    assert done.status_code == 200
    again = admin_client.post(url("upload_complete", key))
    assert again.json()["recording_id"] == done.json()["recording_id"]
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.UPLOADED and recording.source_size == len(data)
    with pipeline_storage().open(recording.source.name) as stored:
        assert stored.read() == data
    assert recording.source.name.startswith(f"{recording.storage_prefix}/source/")
    assert set(UploadPart.objects.values_list("times_received", flat=True)) == {1}


def test_bad_parts_and_a_wrong_size_completion_change_nothing(
    small_parts, admin_client, owner, clips
):
    data = clips("upload.mp4", seconds=2, size="320x180").read_bytes()
    key = start(admin_client, owner, data).json()["id"]
    chunks = parts(data, 16 * 1024)
    short = put_part(admin_client, key, 1, chunks[0][:-1])
    assert short.status_code == 400 and "must be 16384 bytes" in short.json()["error"]
    damaged = put_part(admin_client, key, 1, chunks[0], sha="0" * 64)
    assert damaged.status_code == 400 and "damaged" in damaged.json()["error"]
    assert put_part(admin_client, key, 99, chunks[0]).status_code == 400
    assert not UploadPart.objects.exists()

    assert put_part(admin_client, key, 1, chunks[0]).status_code == 200
    incomplete = admin_client.post(url("upload_complete", key))
    assert incomplete.status_code == 409
    assert f"{len(chunks[0]):,} of {len(data):,} bytes" in incomplete.json()["error"]
    assert not Recording.objects.exists()
    assert UploadSession.objects.get().status == "uploading"


def test_uploads_are_private_to_their_uploader_and_need_csrf(
    small_parts, admin_client, owner, clips
):
    data = clips("upload.mp4", seconds=2, size="320x180").read_bytes()
    key = start(admin_client, owner, data).json()["id"]
    chunk = parts(data, 16 * 1024)[0]

    colleague = Client()
    colleague.force_login(MembershipFactory(organization=owner, role=Role.EDITOR).user)
    outsider = Client()
    other = OrganizationFactory(name="Prairie Association")
    outsider.force_login(MembershipFactory(organization=other, role=Role.EDITOR).user)
    for intruder in (colleague, outsider):
        assert put_part(intruder, key, 1, chunk).status_code == 404
        assert intruder.post(url("upload_complete", key)).status_code == 404
    refused = start(outsider, owner, data)
    assert refused.status_code == 400 and "organization" in refused.json()["error"]

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UploadSession.objects.get().created_by)
    assert put_part(strict, key, 1, chunk).status_code == 403
    assert strict.post(url("upload_cancel", key)).status_code == 403
    assert not UploadPart.objects.exists()


def test_cancel_removes_what_arrived(small_parts, admin_client, owner, clips):
    data = clips("upload.mp4", seconds=2, size="320x180").read_bytes()
    key = start(admin_client, owner, data).json()["id"]
    assert put_part(admin_client, key, 1, data[: 16 * 1024]).status_code == 200
    session = UploadSession.objects.get()
    assert pipeline_storage().exists(session.storage_name)
    assert admin_client.post(url("upload_cancel", key)).status_code == 200
    assert not pipeline_storage().exists(session.storage_name)
    assert put_part(admin_client, key, 2, data[16 * 1024 : 32 * 1024]).status_code == 400


def test_a_file_that_is_not_media_is_rejected_before_any_transcode(
    small_parts, admin_client, owner
):
    data = b"Agenda: welcome, reflective practice, questions.\n" * 400
    key = start(admin_client, owner, data, filename="agenda.mp4").json()["id"]
    for number, chunk in enumerate(parts(data, 16 * 1024), start=1):
        put_part(admin_client, key, number, chunk)
    recording_id = admin_client.post(url("upload_complete", key)).json()["recording_id"]

    assert probe_recording(recording_id=recording_id).status == RecordingStatus.REJECTED
    recording = Recording.objects.get()
    assert not recording.transcode_attempts.exists()
    page = admin_client.get(url("inspect", recording_id))
    assert page.status_code == 200
    assert "Rejected" in page.content.decode()
    assert "could not be read as audio or video" in page.content.decode()
    progress = admin_client.get(url("progress", recording_id)).json()
    assert progress["status"] == "rejected" and progress["error"]


# -- S3: parts straight to the bucket ---------------------------------------------------------


def put_to_bucket(presigned: str, chunk: bytes) -> str:
    request = urllib.request.Request(  # noqa: S310 - moto's server on loopback
        presigned, data=chunk, method="PUT", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.headers["ETag"]


def test_s3_multipart_upload_resumes_from_the_bucket_and_completes(
    s3, settings, admin_client, owner
):
    settings.MEDIA_PIPELINE_S3_MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest part
    data = bytes(range(256)) * (11 * 1024 * 1024 // 256)
    session = start(admin_client, owner, data).json()
    assert session["backend"] == "s3" and session["part_count"] == 3
    key = session["id"]
    chunks = parts(data, session["part_size"])
    signed = admin_client.post(
        url("upload_sign", key), json.dumps({"parts": [1, 2]}), content_type="application/json"
    ).json()["urls"]
    assert "X-Amz-Signature=" in signed["1"]
    etag = put_to_bucket(signed["1"], chunks[0])
    admin_client.post(
        url("upload_part_stored", key, 1), json.dumps({"etag": etag}),
        content_type="application/json",
    )  # fmt: skip
    # Part 2 reached the bucket but the browser was closed before it reported it.
    put_to_bucket(signed["2"], chunks[1])

    resumed = admin_client.get(url("upload_session", key)).json()
    assert resumed["finished_parts"] == [1, 2]
    early = admin_client.post(url("upload_complete", key))
    assert early.status_code == 409 and not Recording.objects.exists()

    third = admin_client.post(
        url("upload_sign", key), json.dumps({"parts": [3]}), content_type="application/json"
    ).json()["urls"]["3"]
    put_to_bucket(third, chunks[2])
    done = admin_client.post(url("upload_complete", key)).json()
    assert admin_client.post(url("upload_complete", key)).json() == done
    recording = Recording.objects.get(pk=done["recording_id"])
    head = s3.head_object(Bucket=BUCKET, Key=f"private-media/{recording.source.name}")
    assert head["ContentLength"] == len(data) == recording.source_size
    assert not s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads")


def test_s3_cancel_aborts_the_multipart_upload(s3, settings, admin_client, owner):
    settings.MEDIA_PIPELINE_S3_MIN_PART_BYTES = 5 * 1024 * 1024
    key = start(admin_client, owner, b"x" * (6 * 1024 * 1024)).json()["id"]
    assert len(s3.list_multipart_uploads(Bucket=BUCKET)["Uploads"]) == 1
    assert admin_client.post(url("upload_cancel", key)).status_code == 200
    assert not s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads")


def test_replacing_the_file_of_a_rejected_recording(
    small_parts, admin_client, owner, clips, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    rejected = Recording(owner=owner, title="Serve and return", status=RecordingStatus.REJECTED)
    rejected.error = "The file is a text file, not a recording."
    rejected.source.save("notes.mp4", ContentFile(b"not a video"), save=False)
    rejected.save()
    old_source = rejected.source.name
    data = clips("upload.mp4", seconds=2, size="320x180").read_bytes()
    key = start(admin_client, owner, data, replaces=rejected.pk).json()["id"]
    for number, chunk in enumerate(parts(data, 16 * 1024), start=1):
        put_part(admin_client, key, number, chunk)
    # Committing queues the new file's check and removes the old file.
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(url("upload_complete", key)).json()
    assert done["recording_id"] == rejected.pk
    rejected.refresh_from_db()
    assert rejected.status == RecordingStatus.UPLOADED and not rejected.error
    assert rejected.source.name != old_source and rejected.source_size == len(data)
    assert rejected.source.name.startswith(f"{rejected.storage_prefix}/source/upload-")
    assert not pipeline_storage().exists(old_source)

    rejected.status = RecordingStatus.TRANSCODING
    rejected.save(update_fields=["status"])
    busy = start(admin_client, owner, data + b"!", replaces=rejected.pk)
    assert busy.status_code == 400 and "being processed" in busy.json()["error"]

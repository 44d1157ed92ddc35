"""Resumable uploads: one :class:`UploadSession` per file, sent in numbered parts.

With S3 configured the browser sends each part straight to the bucket through a presigned
``UploadPart`` URL (S3 multipart upload) and reports the part's ETag; with the embedded
default it sends the same parts to Attune, which writes each at its offset in the file being
assembled in private storage after checking its number, size and SHA-256. Either way the
parts already stored are known, so a reloaded page or a dropped connection resumes without
sending them again. Completion checks the total size and creates the recording (or replaces
a recording's source), leaving its check for the caller to queue; completing twice returns
the same recording.

The file is assembled where the recording keeps its source, so completing never copies it.
"""

import contextlib
import hashlib
import logging
import os
import posixpath
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .conf import upload_config
from .ffmpeg import Limits, RejectedMedia, check_size
from .models import (
    Recording,
    UploadBackend,
    UploadPart,
    UploadSession,
    UploadStatus,
)
from .services.recordings import (
    FINISHED,
    ActionRefused,
    create_uploaded_recording,
    replace_source,
)
from .services.steps import Step, StepToQueue
from .storage import pipeline_storage

logger = logging.getLogger(__name__)
S3_MAX_PARTS = 10_000
CHUNK = 1024 * 1024


class UploadRefused(Exception):
    """The request cannot be accepted; nothing was changed. The message says why."""


@dataclass(frozen=True)
class UploadState:
    session: UploadSession
    finished: list[int]

    def as_json(self) -> dict:
        session = self.session
        return {
            "id": str(session.key),
            "backend": session.backend,
            "status": session.status,
            "size": session.size,
            "part_size": session.part_size,
            "part_count": session.part_count,
            "parallel": upload_config().parallel,
            "finished_parts": self.finished,
            "recording_id": session.recording_id,
        }


# -- Storage backends ------------------------------------------------------------------------


def backend() -> str:
    """S3 when the pipeline's storage is a bucket, else the embedded path."""
    storage = pipeline_storage()
    try:
        storage.path("probe")
    except NotImplementedError:
        if hasattr(storage, "bucket_name"):
            return UploadBackend.S3
        raise
    return UploadBackend.LOCAL


def _s3():
    """The boto3 client of the pipeline's S3 storage (its endpoint, region, credentials and
    s3v4 signing), the bucket and the storage's key prefix."""
    storage = pipeline_storage()
    return storage.connection.meta.client, storage.bucket_name, storage.location


def _s3_key(name: str) -> str:
    location = pipeline_storage().location
    return posixpath.join(location, name) if location else name


def s3_part_size(size: int) -> int:
    cfg = upload_config()
    part = cfg.s3_min_part_bytes
    while part * S3_MAX_PARTS < size and part < cfg.s3_max_part_bytes:
        part *= 2
    if part * S3_MAX_PARTS < size:
        raise UploadRefused(_("The file is too large to upload in parts."))
    return part


def _stored_name(session: UploadSession) -> str:
    suffix = Path(session.filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    prefix = f"recordings/{session.recording_key}/source"
    return f"{prefix}/upload-{session.key.hex[:12]}{suffix}"


# -- Starting and resuming -------------------------------------------------------------------


def start_upload(
    *,
    owner,
    user,
    title: str,
    filename: str,
    size: int,
    last_modified: int = 0,
    replaces: Recording | None = None,
) -> UploadState:
    """A new upload session, or the unfinished one this user already has for the same file
    (same name, size and modification time), to resume."""
    cfg = upload_config()
    title = (title or "").strip() or Path(filename).stem
    if not filename:
        raise UploadRefused(_("Choose a file to upload."))
    try:
        check_size(size, Limits(max_bytes=cfg.max_bytes))
    except RejectedMedia as rejected:
        raise UploadRefused(rejected.reason) from None
    if replaces is not None and replaces.status not in FINISHED:
        raise UploadRefused(
            _("The recording is being processed; replace its file when processing has finished.")
        )
    existing = (
        UploadSession.objects.filter(
            owner=owner,
            created_by=user,
            filename=filename[:255],
            size=size,
            last_modified=last_modified,
            replaces=replaces,
            status=UploadStatus.UPLOADING,
        )
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return upload_state(session=existing)
    kind = backend()
    session = UploadSession(
        owner=owner,
        created_by=user,
        title=title[:255],
        filename=filename[:255],
        size=size,
        last_modified=last_modified,
        backend=kind,
        part_size=cfg.part_bytes if kind == UploadBackend.LOCAL else s3_part_size(size),
        replaces=replaces,
    )
    if replaces is not None:
        session.recording_key = replaces.key
    session.storage_name = _stored_name(session)
    if kind == UploadBackend.S3:
        client, bucket, _config = _s3()
        created = client.create_multipart_upload(
            Bucket=bucket, Key=_s3_key(session.storage_name), ContentType="application/octet-stream"
        )
        session.s3_upload_id = created["UploadId"]
    session.save()
    return UploadState(session, [])


def _s3_parts(session: UploadSession) -> list[dict]:
    client, bucket, _config = _s3()
    parts, marker = [], 0
    while True:
        page = client.list_parts(
            Bucket=bucket,
            Key=_s3_key(session.storage_name),
            UploadId=session.s3_upload_id,
            PartNumberMarker=marker,
        )
        parts += page.get("Parts", [])
        if not page.get("IsTruncated"):
            return parts
        marker = page["NextPartNumberMarker"]


def upload_state(*, session: UploadSession) -> UploadState:
    """Which parts are stored. For S3 the bucket is asked (a part may have arrived after the
    browser stopped listening), and the parts it holds are recorded."""
    if session.backend == UploadBackend.S3 and session.status == UploadStatus.UPLOADING:
        known = set(session.parts.values_list("number", flat=True))
        for part in _s3_parts(session):
            if part["PartNumber"] not in known:
                _record_part(session, part["PartNumber"], part["Size"], etag=part["ETag"])
    finished = sorted(session.parts.values_list("number", flat=True))
    return UploadState(session, finished)


def _record_part(session: UploadSession, number: int, size: int, **fields) -> None:
    updated = UploadPart.objects.filter(session=session, number=number).update(
        size=size, times_received=F("times_received") + 1, **fields
    )
    if updated:
        return
    try:
        with transaction.atomic():
            UploadPart.objects.create(session=session, number=number, size=size, **fields)
    except IntegrityError:
        # The same part arrived twice at once; count it as received again.
        UploadPart.objects.filter(session=session, number=number).update(
            size=size, times_received=F("times_received") + 1, **fields
        )


def _not_uploading(session: UploadSession) -> UploadRefused:
    # Translators: the status is “completed” or “canceled”.
    return UploadRefused(
        _("This upload is %(status)s.") % {"status": session.get_status_display().lower()}
    )


def _check_part(session: UploadSession, number: int) -> int:
    if session.status != UploadStatus.UPLOADING:
        raise _not_uploading(session)
    if not 1 <= number <= session.part_count:
        raise UploadRefused(
            _("Part %(number)s does not exist; the upload has %(count)s.")
            % {"number": number, "count": session.part_count}
        )
    return session.expected_part_size(number)


# -- Embedded path: parts through Attune -----------------------------------------------------


def receive_part(*, session: UploadSession, number: int, stream, length: int, sha256: str) -> None:
    """Write part ``number`` (read from ``stream``) at its place in the file, once its size and
    SHA-256 match. A part sent again (its answer was lost) simply overwrites the same bytes."""
    if session.backend != UploadBackend.LOCAL:
        raise UploadRefused("Parts of this upload go straight to the bucket.")
    expected = _check_part(session, number)
    if length != expected:
        raise UploadRefused(
            _("Part %(number)s must be %(expected)s bytes; %(length)s were sent.")
            % {"number": number, "expected": expected, "length": length}
        )
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise UploadRefused("The part's SHA-256 checksum is missing.")
    digest = hashlib.sha256()
    received = 0
    # Checked before it touches the file: a damaged resend must not spoil a good part.
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool:
        while received < length:
            chunk = stream.read(min(CHUNK, length - received))
            if not chunk:
                break
            digest.update(chunk)
            spool.write(chunk)
            received += len(chunk)
        if received != expected:
            raise UploadRefused(
                _("Part %(number)s was cut short (%(received)s of %(expected)s bytes).")
                % {"number": number, "received": received, "expected": expected}
            )
        if digest.hexdigest() != sha256:
            raise UploadRefused(
                _("Part %(number)s arrived damaged (its checksum does not match).")
                % {"number": number}
            )
        spool.seek(0)
        path = Path(pipeline_storage().path(session.storage_name))
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "r+b") as target:
            target.seek((number - 1) * session.part_size)
            while chunk := spool.read(CHUNK):
                target.write(chunk)
    _record_part(session, number, length, sha256=sha256)


# -- S3 path: parts straight to the bucket ---------------------------------------------------


def presign_parts(*, session: UploadSession, numbers: list[int]) -> dict[int, str]:
    """Presigned PUT URLs for the given parts."""
    if session.backend != UploadBackend.S3:
        raise UploadRefused("Parts of this upload are sent to Attune.")
    for number in numbers:
        _check_part(session, number)
    client, bucket, _config = _s3()
    seconds = upload_config().presign_seconds
    return {
        number: client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": bucket,
                "Key": _s3_key(session.storage_name),
                "UploadId": session.s3_upload_id,
                "PartNumber": number,
            },
            ExpiresIn=seconds,
        )
        for number in numbers
    }


def record_s3_part(*, session: UploadSession, number: int, etag: str) -> None:
    """The browser stored a part in the bucket; keep its ETag for resuming."""
    if session.backend != UploadBackend.S3:
        raise UploadRefused("Parts of this upload are sent to Attune.")
    expected = _check_part(session, number)
    etag = (etag or "").strip()
    if not re.fullmatch(r'"?[0-9A-Za-z-]{1,100}"?', etag):
        raise UploadRefused("The part's ETag is missing; the bucket must expose it (CORS).")
    _record_part(session, number, expected, etag=etag)


# -- Completion and cancelling ---------------------------------------------------------------


def _wrong_size(session: UploadSession, received: int) -> UploadRefused:
    return UploadRefused(
        _(
            "The upload is incomplete: %(received)s of %(size)s bytes arrived. "
            "Resume it to send the rest."
        )
        % {
            "received": number_format(received, force_grouping=True),
            "size": number_format(session.size, force_grouping=True),
        }
    )


def _complete_local(session: UploadSession) -> None:
    total = session.parts.aggregate(total=Sum("size"))["total"] or 0
    numbers = set(session.parts.values_list("number", flat=True))
    if numbers != set(range(1, session.part_count + 1)) or total != session.size:
        raise _wrong_size(session, total)
    stored = pipeline_storage().size(session.storage_name)
    if stored != session.size:
        raise _wrong_size(session, stored)


def _complete_s3(session: UploadSession) -> None:
    client, bucket, _config = _s3()
    key = _s3_key(session.storage_name)
    try:
        parts = _s3_parts(session)
    except client.exceptions.NoSuchUpload:
        # Completed in the bucket by an earlier call whose answer was lost.
        head = client.head_object(Bucket=bucket, Key=key)
        if head["ContentLength"] != session.size:
            raise _wrong_size(session, head["ContentLength"]) from None
        return
    total = sum(part["Size"] for part in parts)
    numbers = [part["PartNumber"] for part in parts]
    if numbers != list(range(1, session.part_count + 1)) or total != session.size:
        raise _wrong_size(session, total)
    client.complete_multipart_upload(
        Bucket=bucket,
        Key=key,
        UploadId=session.s3_upload_id,
        MultipartUpload={
            "Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]
        },
    )
    stored = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
    if stored != session.size:
        raise _wrong_size(session, stored)


@dataclass(frozen=True)
class CompletedUpload:
    """The recording an upload completed as, and its check to queue once committed (none
    when the upload had been completed before)."""

    recording: Recording
    to_queue: StepToQueue | None = None


def complete_upload(*, session_id: int) -> CompletedUpload:
    """Check the assembled file's size and create the recording (or replace the source of
    the recording the upload replaces), waiting for its check. Idempotent."""
    with transaction.atomic():
        session = UploadSession.objects.select_for_update().get(pk=session_id)
        if session.status == UploadStatus.COMPLETED:
            return CompletedUpload(session.recording)
        if session.status != UploadStatus.UPLOADING:
            raise _not_uploading(session)
        if session.backend == UploadBackend.S3:
            _complete_s3(session)
        else:
            _complete_local(session)
        if session.replaces_id:
            try:
                recording = replace_source(
                    recording_id=session.replaces_id,
                    stored_name=session.storage_name,
                    filename=session.filename,
                    size=session.size,
                )
            except ActionRefused as refused:
                raise UploadRefused(str(refused)) from None
        else:
            recording = create_uploaded_recording(
                key=session.recording_key,
                owner=session.owner,
                title=session.title,
                stored_name=session.storage_name,
                filename=session.filename,
                size=session.size,
            )
        session.status = UploadStatus.COMPLETED
        session.recording = recording
        session.save(update_fields=["status", "recording", "updated_at"])
    logger.info("Upload %s completed as recording %s", session.key, recording.pk)
    return CompletedUpload(recording, StepToQueue(recording_id=recording.pk, step=Step.PROBE))


def cancel_upload(*, session_id: int) -> None:
    """Stop an unfinished upload and remove what arrived (aborting the S3 multipart upload)."""
    with transaction.atomic():
        session = UploadSession.objects.select_for_update().get(pk=session_id)
        if session.status != UploadStatus.UPLOADING:
            raise _not_uploading(session)
        session.status = UploadStatus.CANCELED
        session.save(update_fields=["status", "updated_at"])
        session.parts.all().delete()
    if session.backend == UploadBackend.S3:
        client, bucket, _config = _s3()
        # Already aborted (a repeated cancel whose answer was lost) is fine.
        with contextlib.suppress(client.exceptions.NoSuchUpload):
            client.abort_multipart_upload(
                Bucket=bucket, Key=_s3_key(session.storage_name), UploadId=session.s3_upload_id
            )
    else:
        pipeline_storage().delete(session.storage_name)


def bucket_cors_rules(origins: list[str]) -> dict:
    """What the bucket must allow for browsers on ``origins``: PUT parts and read their ETag
    (multipart completion needs it), GET streams for hls.js."""
    return {
        "CORSRules": [
            {
                "AllowedOrigins": list(origins),
                "AllowedMethods": ["PUT", "GET", "HEAD"],
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["ETag", "Content-Length", "Content-Range"],
                "MaxAgeSeconds": 3600,
            }
        ]
    }


def configure_bucket_cors(*, origins: list[str]) -> dict:
    """Set the pipeline bucket's CORS rules for the admin's and the sites' origins."""
    if backend() != UploadBackend.S3:
        raise UploadRefused("The media pipeline's storage is not an S3 bucket.")
    client, bucket, _config = _s3()
    rules = bucket_cors_rules(origins)
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=rules)
    return rules

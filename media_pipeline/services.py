"""Writes for the media pipeline: every status change of a recording happens here.

A worker holds a recording through a lease (a token and an expiry on the row, taken with a
conditional UPDATE, renewed while it works). Two workers therefore never process the same
recording at once, and a worker that dies simply lets its lease run out: the next worker
takes the recording over, marks the dead attempt abandoned and removes its files.

Each transcode attempt writes under its own storage prefix. Only a finished, uploaded attempt
is published, by switching the recording to it in one transaction; the previously published
attempt's files are removed afterwards.
"""

import logging
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import DurationField, F, Max, Q, Value
from django.db.models.functions import Now
from django.utils import timezone

from . import encoding, storage
from .conf import PipelineConfig, config
from .ffmpeg import Progress, RejectedMedia, can_remux, check_size
from .models import (
    AttemptKind,
    AttemptStatus,
    Recording,
    RecordingStatus,
    Rendition,
    RenditionKind,
    TranscodeAttempt,
)
from .runner import ProcessFailed, ProcessLimitExceeded, ProcessTimedOut
from .selectors import UNFINISHED, attempts_with_leftover_files, unfinished_recordings

logger = logging.getLogger(__name__)


class RecordingBusy(Exception):
    """Another worker holds the recording; try again when its lease may have run out."""

    def __init__(self, retry_in: float):
        super().__init__(f"recording is held by another worker for {retry_in:.0f} s")
        self.retry_in = max(0.0, retry_in)


class LeaseLost(Exception):
    """This worker's lease ran out and another worker took the recording over."""


class TransientError(Exception):
    """Worth trying again later (storage or database hiccup, a killed process)."""

    def __init__(self, message: str, *, retry_in: float):
        super().__init__(message)
        self.retry_in = retry_in


class PermanentError(Exception):
    """Trying again would fail the same way."""


@dataclass(frozen=True)
class Lease:
    recording_id: int
    token: str


# -- Leases -----------------------------------------------------------------------------------


def _lease_expiry():
    # The database's clock, not this worker's: workers on several hosts agree on it.
    return Now() + Value(timedelta(seconds=config().lease_seconds), DurationField())


def acquire_lease(*, recording_id: int) -> Lease:
    """Take the recording for this worker, or raise :class:`RecordingBusy`."""
    token = uuid.uuid4().hex
    free = Recording.objects.filter(pk=recording_id).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=Now())
    )
    if free.update(lease_token=token, lease_expires_at=_lease_expiry()):
        return Lease(recording_id, token)
    held_until = (
        Recording.objects.filter(pk=recording_id).values_list("lease_expires_at", flat=True).get()
    )
    retry_in = (held_until - timezone.now()).total_seconds() if held_until else 0
    raise RecordingBusy(retry_in)


def renew_lease(lease: Lease, **fields) -> None:
    """Extend the lease (saving ``fields`` with it); raise :class:`LeaseLost` if it is gone."""
    held = Recording.objects.filter(pk=lease.recording_id, lease_token=lease.token)
    if not held.update(lease_expires_at=_lease_expiry(), **fields):
        raise LeaseLost(f"lost the lease on recording {lease.recording_id}")


def release_lease(lease: Lease) -> None:
    Recording.objects.filter(pk=lease.recording_id, lease_token=lease.token).update(
        lease_token="", lease_expires_at=None
    )


@contextmanager
def _holding(recording_id: int):
    lease = acquire_lease(recording_id=recording_id)
    try:
        yield lease
    finally:
        release_lease(lease)


def _move(lease: Lease, *, source: tuple[str, ...], target: str, **fields) -> None:
    """The one way a recording changes status: only from ``source``, only by the holder."""
    moved = Recording.objects.filter(
        pk=lease.recording_id, lease_token=lease.token, status__in=source
    ).update(status=target, updated_at=timezone.now(), **fields)
    if not moved:
        raise LeaseLost(f"recording {lease.recording_id} is no longer ours to move to {target}")


# -- Upload -----------------------------------------------------------------------------------


def create_recording(*, owner, title: str, source: File, filename: str = "") -> Recording:
    """Store an upload as a new recording and queue it for checking."""
    filename = Path(filename or source.name or "").name
    recording = Recording(owner=owner, title=title.strip(), original_filename=filename[:255])
    recording.source.save(filename, source, save=False)
    stored = recording.source.name
    try:
        with transaction.atomic():
            recording.source_size = recording.source.size
            recording.save()
            transaction.on_commit(lambda: _queue("probe_recording", recording.pk))
    except BaseException:
        storage.pipeline_storage().delete(stored)
        raise
    return recording


def _queue(task_name: str, recording_id: int, countdown: float = 0) -> None:
    from . import tasks

    getattr(tasks, task_name).apply_async(args=[recording_id], countdown=countdown)


# -- Probe ------------------------------------------------------------------------------------


def _work_dir(recording: Recording, label: str) -> Path:
    path = config().work_dir / f"{recording.key}-{label}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _facts(inspection: encoding.Inspection) -> dict:
    probe = inspection.probe
    video, audio = probe.video, probe.audio
    width, height = probe.display_size
    return {
        "container": probe.container[:64],
        "duration": probe.duration,
        "width": width or None,
        "height": height or None,
        "rotation": video.rotation if video else 0,
        "frame_rate": float(video.frame_rate) if video and video.frame_rate else None,
        "video_codec": video.codec if video else "",
        "audio_codec": audio.codec if audio else "",
        "audio_channels": audio.channels if audio else None,
        "probe": inspection.raw,
    }


def probe_recording(*, recording_id: int) -> str:
    """Check an uploaded recording: reject it with a reason, or queue it for transcoding.
    Returns the recording's status afterwards."""
    cfg = config()
    with _holding(recording_id) as lease:
        recording = Recording.objects.get(pk=recording_id)
        if recording.status not in (RecordingStatus.UPLOADED, RecordingStatus.PROBING):
            return recording.status
        _move(
            lease,
            source=(RecordingStatus.UPLOADED, RecordingStatus.PROBING),
            target=RecordingStatus.PROBING,
        )
        work = _work_dir(recording, "probe")
        try:
            check_size(storage.pipeline_storage().size(recording.source.name), cfg.limits)
            with storage.local_source(recording.source.name, work) as path:
                inspection = encoding.inspect(path, config=cfg)
        except RejectedMedia as rejection:
            _move(
                lease,
                source=(RecordingStatus.PROBING,),
                target=RecordingStatus.REJECTED,
                error=rejection.reason,
            )
            logger.info("Recording %s rejected: %s", recording_id, rejection.reason)
            return RecordingStatus.REJECTED
        except Exception as error:
            raise TransientError(
                f"could not probe: {error}", retry_in=cfg.retry_backoff_seconds
            ) from error
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with transaction.atomic():
            _move(
                lease,
                source=(RecordingStatus.PROBING,),
                target=RecordingStatus.QUEUED,
                attempts=0,
                error="",
                **_facts(inspection),
            )
            transaction.on_commit(lambda: _queue("transcode_recording", recording_id))
        return RecordingStatus.QUEUED


def fail_recording(*, recording_id: int, reason: str) -> None:
    """End an unfinished recording as failed (after retries ran out)."""
    Recording.objects.filter(pk=recording_id, status__in=UNFINISHED).update(
        status=RecordingStatus.FAILED, error=reason, updated_at=timezone.now()
    )
    logger.error("Recording %s failed: %s", recording_id, reason)


# -- Transcode --------------------------------------------------------------------------------


class _LeaseKeeper:
    """Keeps the lease while a long step runs. The runner and uploader call it about once a
    second; every ``interval`` seconds it renews the lease and saves progress (so the page
    shows it and a dead worker is noticed)."""

    def __init__(self, lease: Lease, *, interval: float, save_progress: bool):
        self.lease = lease
        self.interval = interval
        self.save_progress = save_progress
        self.percent: int | None = None
        self.last = time.monotonic()

    def __call__(self, progress: Progress | None = None) -> None:
        if progress is not None:
            self.percent = min(99, int(progress.percent))
        if time.monotonic() - self.last >= self.interval:
            self.renew()

    def renew(self) -> None:
        self.last = time.monotonic()
        fields = {"progress": self.percent} if self.save_progress and self.percent else {}
        renew_lease(self.lease, **fields)


def _remove_attempt_files(attempt: TranscodeAttempt) -> None:
    try:
        storage.delete_tree(attempt.output_prefix, workers=config().upload_workers)
    except Exception:
        # The files stay listed as leftovers; the next sweep removes them.
        logger.exception("Could not remove the files of %s", attempt)
        return
    TranscodeAttempt.objects.filter(pk=attempt.pk).update(files_removed=True)


def _clean_up_after_dead_workers(recording: Recording) -> None:
    """Called with the lease held: any attempt still marked running belongs to a worker
    that died. Mark it abandoned and remove its files and its work folder on this host."""
    dead = list(recording.transcode_attempts.filter(status=AttemptStatus.RUNNING))
    for attempt in dead:
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.ABANDONED,
            finished_at=timezone.now(),
            error="The worker running this attempt stopped before it finished.",
        )
        logger.warning("Abandoned %s (its worker stopped)", attempt)
    for folder in config().work_dir.glob(f"{recording.key}-*"):
        shutil.rmtree(folder, ignore_errors=True)
    for attempt in attempts_with_leftover_files().filter(recording=recording):
        _remove_attempt_files(attempt)


def _start_attempt(lease: Lease, recording: Recording, kind: str, worker: str):
    with transaction.atomic():
        renew_lease(lease)
        number = (recording.transcode_attempts.aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = TranscodeAttempt.objects.create(
            recording=recording,
            number=number,
            kind=kind,
            output_prefix=f"{recording.storage_prefix}/attempt-{number}",
            worker=worker[:255],
        )
        # Only full-ladder attempts count towards the limit; the quick remux is a bonus.
        fields = (
            {"attempts": F("attempts") + 1, "progress": 0} if kind == AttemptKind.LADDER else {}
        )
        _move(
            lease,
            source=(RecordingStatus.QUEUED, RecordingStatus.TRANSCODING),
            target=RecordingStatus.TRANSCODING,
            **fields,
        )
    return attempt


def _renditions(recording, attempt, encoded: encoding.Encoded) -> list[Rendition]:
    return [
        Rendition(
            recording=recording,
            attempt=attempt,
            name=variant.name[:16],
            kind=RenditionKind.VIDEO if variant.kind == "video" else RenditionKind.AUDIO,
            width=variant.width,
            height=variant.height,
            bandwidth=variant.bandwidth,
            codecs=variant.codecs[:100],
            playlist=f"{attempt.output_prefix}/{variant.uri}",
        )
        for variant in encoded.variants
    ]


def _publish(lease: Lease, attempt: TranscodeAttempt, encoded: encoding.Encoded) -> None:
    """Switch the recording to ``attempt`` in one transaction, then drop the previous one."""
    prefix = attempt.output_prefix
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=attempt.recording_id)
        if recording.lease_token != lease.token:
            raise LeaseLost(f"lost the lease on recording {recording.pk} before publishing")
        previous = recording.published_attempt
        if previous is not None:
            previous.renditions.all().delete()
            TranscodeAttempt.objects.filter(pk=previous.pk).update(status=AttemptStatus.SUPERSEDED)
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.SUCCEEDED,
            finished_at=timezone.now(),
            exit_code=encoded.returncode,
            stderr_tail=encoded.stderr_tail,
            wall_seconds=encoded.wall_seconds,
        )
        Rendition.objects.bulk_create(_renditions(recording, attempt, encoded))
        recording.published_attempt = attempt
        recording.master_playlist.name = f"{prefix}/{encoded.master_playlist}"
        recording.progressive.name = (
            f"{prefix}/{encoded.progressive}" if encoded.progressive else ""
        )
        recording.poster.name = f"{prefix}/{encoded.poster}" if encoded.poster else ""
        fields = ["published_attempt", "master_playlist", "progressive", "poster", "updated_at"]
        if attempt.kind == AttemptKind.LADDER:
            recording.status = RecordingStatus.READY
            recording.progress = 100
            recording.ready_at = timezone.now()
            recording.error = ""
            fields += ["status", "progress", "ready_at", "error"]
        recording.save(update_fields=fields)
    logger.info("Published %s", attempt)
    if previous is not None:
        _remove_attempt_files(previous)


def _end_attempt(attempt: TranscodeAttempt, error: BaseException) -> None:
    """Record why an attempt ended without publishing, and remove what it uploaded."""
    fields = {
        "status": AttemptStatus.FAILED,
        "finished_at": timezone.now(),
        "error": str(error)[:2000] or type(error).__name__,
    }
    if isinstance(error, ProcessFailed):
        fields.update(exit_code=error.returncode, stderr_tail=error.stderr_tail)
    try:
        TranscodeAttempt.objects.filter(pk=attempt.pk).update(**fields)
    except Exception:
        logger.exception("Could not record the end of %s", attempt)
        return
    _remove_attempt_files(attempt)


def _run_attempt(lease, recording, kind, source: Path, inspection, worker, cfg) -> None:
    attempt = _start_attempt(lease, recording, kind, worker)
    work = _work_dir(recording, f"attempt-{attempt.number}")
    keeper = _LeaseKeeper(
        lease, interval=cfg.lease_renewal_seconds, save_progress=kind == AttemptKind.LADDER
    )
    try:
        out = work / "out"
        out.mkdir()
        encode = encoding.encode_ladder if kind == AttemptKind.LADDER else encoding.remux
        encoded = encode(source, inspection, out, config=cfg, on_tick=keeper)
        keeper.renew()
        storage.upload_tree(out, attempt.output_prefix, workers=cfg.upload_workers, on_tick=keeper)
        _publish(lease, attempt, encoded)
    except BaseException as error:
        _end_attempt(attempt, error)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _classify(error: Exception, cfg: PipelineConfig, attempts: int) -> Exception:
    """Turn what went wrong into a permanent failure (with a reason a person can read) or a
    transient one (retried with exponential backoff)."""
    if isinstance(error, ProcessTimedOut | ProcessLimitExceeded):
        return PermanentError(f"Processing was stopped: {error}.")
    if isinstance(error, encoding.EncodeFailed):
        return PermanentError(f"Processing did not produce every rendition: {error}.")
    # ffmpeg exiting with an error status read bad data; a signal we did not send (the
    # kernel's out-of-memory killer, a restart) or a full disk may pass.
    exited_with_error = isinstance(error, ProcessFailed) and (error.returncode or 0) > 0
    if exited_with_error and "No space left on device" not in error.stderr_tail:
        detail = error.last_line or str(error)
        return PermanentError(f"ffmpeg could not process the recording: {detail}")
    backoff = cfg.retry_backoff_seconds * 2 ** max(0, attempts - 1)
    return TransientError(str(error) or type(error).__name__, retry_in=min(backoff, 3600))


def transcode_recording(*, recording_id: int, worker: str = "") -> str:
    """Transcode a queued recording: first a quick stream copy when the source allows it,
    then the full ladder. Idempotent: a recording that is ready (or rejected, or failed)
    is left as it is. Returns the status afterwards; raises :class:`RecordingBusy`,
    :class:`LeaseLost` or :class:`TransientError` for the task to handle."""
    cfg = config()
    with _holding(recording_id) as lease:
        recording = Recording.objects.select_related("published_attempt").get(pk=recording_id)
        if recording.status not in (RecordingStatus.QUEUED, RecordingStatus.TRANSCODING):
            return recording.status
        _clean_up_after_dead_workers(recording)
        if recording.attempts >= cfg.max_attempts:
            reason = (
                recording.transcode_attempts.order_by("-number")
                .values_list("error", flat=True)
                .first()
            )
            _move(
                lease,
                source=(RecordingStatus.QUEUED, RecordingStatus.TRANSCODING),
                target=RecordingStatus.FAILED,
                error=f"Gave up after {recording.attempts} attempts. {reason or ''}".strip(),
            )
            return RecordingStatus.FAILED
        inspection = encoding.inspection_from_raw(recording.probe)
        try:
            with storage.local_source(
                recording.source.name, _work_dir(recording, "source")
            ) as source:
                published = recording.published_attempt
                if published is None and can_remux(inspection.probe):
                    try:
                        _run_attempt(
                            lease, recording, AttemptKind.REMUX, source, inspection, worker, cfg
                        )
                    except (ProcessFailed, encoding.EncodeFailed):
                        # The quick first play is a nicety; the ladder is what matters.
                        logger.warning("Quick remux failed for %s", recording, exc_info=True)
                _run_attempt(lease, recording, AttemptKind.LADDER, source, inspection, worker, cfg)
        except LeaseLost:
            raise
        except Exception as error:
            recording.refresh_from_db(fields=["attempts"])
            outcome = _classify(error, cfg, recording.attempts)
            if isinstance(outcome, PermanentError):
                _move(
                    lease,
                    source=(RecordingStatus.QUEUED, RecordingStatus.TRANSCODING),
                    target=RecordingStatus.FAILED,
                    error=str(outcome),
                )
                logger.error("Recording %s failed: %s", recording_id, outcome)
                return RecordingStatus.FAILED
            logger.warning("Recording %s will be retried: %s", recording_id, outcome)
            raise outcome from error
        finally:
            shutil.rmtree(config().work_dir / f"{recording.key}-source", ignore_errors=True)
        return RecordingStatus.READY


def resume_unfinished() -> int:
    """Queue every unfinished recording again (when a worker starts: one may have died
    holding it), timed for when its lease runs out, and remove leftover files. Safe to run
    any time: a recording another worker still holds just waits. Returns how many were
    queued."""
    for attempt in attempts_with_leftover_files():
        _remove_attempt_files(attempt)
    now = timezone.now()
    count = 0
    for recording_id, status, expires in unfinished_recordings().values_list(
        "pk", "status", "lease_expires_at"
    ):
        wait = (expires - now).total_seconds() + 1 if expires and expires > now else 0
        _queue(_next_step(status), recording_id, countdown=wait)
        count += 1
    return count


def _next_step(status: str) -> str:
    if status in (RecordingStatus.UPLOADED, RecordingStatus.PROBING):
        return "probe_recording"
    return "transcode_recording"


def requeue_stuck() -> list[int]:
    """Queue again the unfinished recordings nobody is working on (the periodic sweep):

    - those whose worker vanished: its lease ran out without being renewed;
    - those no worker has touched for ``stuck_after_seconds`` while holding no lease: their
      message was lost (a broker that restarted empty, say).

    Each is claimed by a conditional UPDATE (clearing the dead lease and touching
    ``updated_at``), so two sweeps never queue it twice, and one still waiting is queued
    again only after another ``stuck_after_seconds``. A worker that took the recording in
    the meantime is left alone. Returns the ids queued."""
    stale_before = Now() - Value(timedelta(seconds=config().stuck_after_seconds), DurationField())
    stuck = Q(lease_expires_at__lt=Now()) | Q(
        lease_expires_at__isnull=True, updated_at__lt=stale_before
    )
    queued = []
    for recording_id, status, token in (
        unfinished_recordings().filter(stuck).values_list("pk", "status", "lease_token")
    ):
        claimed = Recording.objects.filter(
            stuck, pk=recording_id, status=status, lease_token=token
        ).update(lease_token="", lease_expires_at=None, updated_at=timezone.now())
        if not claimed:
            continue
        _queue(_next_step(status), recording_id)
        queued.append(recording_id)
        logger.warning(
            "Re-queued stuck recording %s (%s): %s",
            recording_id,
            status,
            "its worker stopped renewing its lease" if token else "no worker has taken it",
        )
    return queued


# -- Admin actions ----------------------------------------------------------------------------

FINISHED = (RecordingStatus.READY, RecordingStatus.REJECTED, RecordingStatus.FAILED)


class ActionRefused(Exception):
    """What the person asked for cannot be done now; the message says why."""


def create_uploaded_recording(
    *, key, owner, title: str, stored_name: str, filename: str, size: int
) -> Recording:
    """A recording for a file an upload already assembled in storage (no copy), queued for
    checking."""
    recording = Recording(
        key=key,
        owner=owner,
        title=title.strip(),
        original_filename=Path(filename).name[:255],
        source_size=size,
    )
    recording.source.name = stored_name
    recording.save()
    transaction.on_commit(lambda: _queue("probe_recording", recording.pk))
    return recording


def replace_source(*, recording_id: int, stored_name: str, filename: str, size: int) -> Recording:
    """Point a finished recording at a new upload and check it again. Viewers keep the
    published streams until the new ones are published; the old source is removed."""
    recording = Recording.objects.get(pk=recording_id)
    old_source = recording.source.name
    moved = Recording.objects.filter(pk=recording_id, status__in=FINISHED).update(
        status=RecordingStatus.UPLOADED,
        source=stored_name,
        original_filename=Path(filename).name[:255],
        source_size=size,
        error="",
        progress=0,
        attempts=0,
        updated_at=timezone.now(),
    )
    if not moved:
        raise ActionRefused(
            "The recording is being processed; replace its file when processing has finished."
        )
    transaction.on_commit(lambda: _queue("probe_recording", recording_id))
    if old_source and old_source != stored_name:
        transaction.on_commit(lambda: storage.pipeline_storage().delete(old_source))
    recording.refresh_from_db()
    return recording


def retry_recording(*, recording_id: int) -> Recording:
    """Process a failed recording again from the start, with a fresh attempt count."""
    recording = Recording.objects.get(pk=recording_id)
    # A recording that failed after its probe goes straight back to transcoding.
    target = RecordingStatus.QUEUED if recording.probe else RecordingStatus.UPLOADED
    with transaction.atomic():
        moved = Recording.objects.filter(pk=recording_id, status=RecordingStatus.FAILED).update(
            status=target, error="", attempts=0, progress=0, updated_at=timezone.now()
        )
        if not moved:
            raise ActionRefused("Only a recording that failed can be retried.")
        step = "transcode_recording" if target == RecordingStatus.QUEUED else "probe_recording"
        transaction.on_commit(lambda: _queue(step, recording_id))
    recording.refresh_from_db()
    return recording


def delete_recording(*, recording_id: int) -> int:
    """Delete the recording, its attempts, renditions, captions and uploads, then every
    stored file under its prefix (source, every attempt's outputs, captions). A worker still
    processing it loses its lease and removes what it was writing. Returns how many files
    were removed."""
    recording = Recording.objects.get(pk=recording_id)
    prefix = recording.storage_prefix
    with transaction.atomic():
        recording.delete()
    removed = storage.delete_tree(prefix, workers=config().upload_workers)
    logger.info("Deleted recording %s and %s stored files", recording_id, removed)
    return removed


def add_caption(*, recording: Recording, language: str, label: str, data: bytes):
    """Store a WebVTT or SRT file as the recording's captions in ``language`` (replacing any
    earlier ones). Raises :class:`~media_pipeline.captions.CaptionError` naming the line."""
    from django.core.files.base import ContentFile

    from .captions import parse_captions
    from .models import Caption

    parsed = parse_captions(data)
    previous = Caption.objects.filter(recording=recording, language=language).first()
    caption = Caption(recording=recording, language=language, label=label.strip())
    caption.cue_count = parsed.cue_count
    caption.file.save(f"{language}.vtt", ContentFile(parsed.webvtt.encode()), save=False)
    try:
        with transaction.atomic():
            if previous is not None:
                previous.delete()
                transaction.on_commit(lambda: storage.pipeline_storage().delete(previous.file.name))
            caption.save()
    except BaseException:
        storage.pipeline_storage().delete(caption.file.name)
        raise
    return caption


def delete_caption(*, caption) -> None:
    name = caption.file.name
    caption.delete()
    storage.pipeline_storage().delete(name)

"""Transcoding a queued recording: a quick stream copy first when the source allows it, then
the full ladder, each as an attempt kept alive by its lease; and what went wrong, classified
as worth retrying or not."""

import logging
import shutil
from pathlib import Path

from .. import encoding, storage
from ..conf import PipelineConfig, config
from ..ffmpeg import can_remux
from ..models import AttemptKind, Recording, RecordingStatus
from ..runner import ProcessFailed, ProcessLimitExceeded, ProcessTimedOut
from .attempts import clean_up_after_dead_workers, end_attempt, publish_attempt, start_attempt
from .leases import LeaseKeeper, LeaseLost, change_status, holding
from .steps import TransientError, fresh_work_folder, work_folder

logger = logging.getLogger(__name__)


class PermanentError(Exception):
    """Trying again would fail the same way."""


def _run_attempt(lease, recording, kind, source: Path, inspection, worker, cfg) -> None:
    attempt = start_attempt(lease, recording, kind, worker)
    work = fresh_work_folder(recording, f"attempt-{attempt.number}")
    keeper = LeaseKeeper(
        lease, interval=cfg.lease_renewal_seconds, save_progress=kind == AttemptKind.LADDER
    )
    try:
        out = work / "out"
        out.mkdir()
        encode = encoding.encode_ladder if kind == AttemptKind.LADDER else encoding.remux
        encoded = encode(source, inspection, out, config=cfg, on_tick=keeper)
        keeper.renew()
        storage.upload_tree(out, attempt.output_prefix, workers=cfg.upload_workers, on_tick=keeper)
        publish_attempt(lease, attempt, encoded)
    except BaseException as error:
        end_attempt(attempt, error)
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
    is left as it is. Returns the status afterwards; raises
    :class:`~media_pipeline.services.leases.RecordingBusy`,
    :class:`~media_pipeline.services.leases.LeaseLost` or
    :class:`~media_pipeline.services.steps.TransientError` for the task to handle."""
    cfg = config()
    with holding(recording_id) as lease:
        recording = Recording.objects.select_related("published_attempt").get(pk=recording_id)
        if recording.status not in (RecordingStatus.QUEUED, RecordingStatus.TRANSCODING):
            return recording.status
        clean_up_after_dead_workers(recording)
        if recording.attempts >= cfg.max_attempts:
            reason = (
                recording.transcode_attempts.order_by("-number")
                .values_list("error", flat=True)
                .first()
            )
            change_status(
                lease,
                source=(RecordingStatus.QUEUED, RecordingStatus.TRANSCODING),
                target=RecordingStatus.FAILED,
                error=f"Gave up after {recording.attempts} attempts. {reason or ''}".strip(),
            )
            return RecordingStatus.FAILED
        inspection = encoding.inspection_from_raw(recording.probe)
        try:
            with storage.local_source(
                recording.source.name, fresh_work_folder(recording, "source")
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
                change_status(
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
            shutil.rmtree(work_folder(recording, "source"), ignore_errors=True)
        return RecordingStatus.READY

"""Transcoding a queued recording: a quick stream copy first when the source allows it, then
the full ladder, each as an attempt kept alive by its lease; and what went wrong, by cause
(see :mod:`media_pipeline.services.faults`): the file's fails at once, ours is retried."""

import logging
import shutil
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .. import encoding, storage
from ..conf import config
from ..ffmpeg import can_remux
from ..models import AttemptCause, AttemptKind, Recording, RecordingStatus
from ..runner import ProcessFailed
from ..signals import transcoding_needs_attention
from . import auto_captions, faults
from .attempts import clean_up_after_dead_workers, end_attempt, publish_attempt, start_attempt
from .faults import Fault
from .leases import LeaseKeeper, LeaseLost, change_status, holding
from .steps import TransientError, fresh_work_folder, work_folder

logger = logging.getLogger(__name__)

ACTIVE = (RecordingStatus.QUEUED, RecordingStatus.TRANSCODING)


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


def _give_up_if_over_a_ceiling(lease, recording, cfg) -> str | None:
    """Fail the recording if its content attempts or its infrastructure retries reached
    their ceiling (announcing the latter: the people managing its media should know)."""
    last = recording.transcode_attempts.order_by("-number").values_list("error", flat=True)
    if recording.attempts >= cfg.max_attempts:
        reason = _("Gave up after %(count)s attempts. %(reason)s") % {
            "count": recording.attempts,
            "reason": last.filter(cause=AttemptCause.CONTENT).first() or "",
        }
    elif recording.infrastructure_retries >= cfg.max_infrastructure_retries:
        reason = _(
            "Gave up after %(count)s infrastructure faults (the file looks fine; retry it "
            "once they are fixed). Last: %(reason)s"
        ) % {
            "count": recording.infrastructure_retries,
            "reason": last.filter(cause=AttemptCause.INFRASTRUCTURE).first() or "",
        }
    else:
        return None
    change_status(lease, source=ACTIVE, target=RecordingStatus.FAILED, error=reason.strip())
    if recording.attempts < cfg.max_attempts:
        transaction.on_commit(lambda: _announce_needs_attention(recording, reason))
    logger.error("Recording %s failed: %s", recording.pk, reason)
    return RecordingStatus.FAILED


def _announce_needs_attention(recording, reason: str) -> None:
    # A listener that fails (the mail server is down) must not undo or hide the failure.
    for receiver, outcome in transcoding_needs_attention.send_robust(
        sender=Recording, recording=recording, reason=reason
    ):
        if isinstance(outcome, Exception):
            logger.error(
                "Could not announce that recording %s needs attention (%s): %s",
                recording.pk,
                receiver,
                outcome,
            )


def _content_failure(lease, recording_id, fault: Fault) -> str:
    change_status(
        lease,
        source=ACTIVE,
        target=RecordingStatus.FAILED,
        error=fault.message,
        attempts=F("attempts") + 1,
    )
    logger.error("Recording %s failed: %s", recording_id, fault.message)
    return RecordingStatus.FAILED


def _infrastructure_fault(lease, recording_id, fault: Fault, cfg) -> TransientError:
    """Count the fault against its own ceiling, name it in the recording's status, and
    return the error asking for another try after the backoff."""
    change_status(
        lease,
        source=ACTIVE,
        target=RecordingStatus.TRANSCODING,
        error=fault.retrying(),
        infrastructure_retries=F("infrastructure_retries") + 1,
    )
    retries = Recording.objects.values_list("infrastructure_retries", flat=True).get(
        pk=recording_id
    )
    logger.warning("Recording %s will be retried: %s", recording_id, fault.message)
    return TransientError(fault.message, retry_in=cfg.backoff(retries))


def _plan_captions(recording) -> None:
    """Queue automatic captions once the ladder is published (the task sends the job's
    message). Captioning never holds the recording up: a fault here is only logged, and
    an editor can still ask for captions from the recording's page."""
    try:
        auto_captions.plan_after_ladder(recording=recording)
    except Exception:
        logger.exception("Could not queue automatic captions for recording %s", recording.pk)


def transcode_recording(
    *, recording_id: int, worker: str = "", interrupted: Fault | None = None
) -> str:
    """Transcode a queued recording: first a quick stream copy when the source allows it,
    then the full ladder, and once it is published the recording's automatic captions job
    (:mod:`~media_pipeline.services.auto_captions`; the task sends its message). Idempotent:
    a recording that is ready (or rejected, or failed)
    is left as it is. Returns the status afterwards; raises
    :class:`~media_pipeline.services.leases.RecordingBusy`,
    :class:`~media_pipeline.services.leases.LeaseLost` or
    :class:`~media_pipeline.services.steps.TransientError` (an infrastructure fault,
    counted) or a database error (not counted: it cannot be) for the task to handle.
    ``interrupted`` is the fault that stopped this worker's previous try, if the task knows
    it; the attempt it left running is recorded with it."""
    cfg = config()
    with holding(recording_id) as lease:
        recording = Recording.objects.select_related("published_attempt").get(pk=recording_id)
        if recording.status not in ACTIVE:
            return recording.status
        clean_up_after_dead_workers(recording, fault=interrupted)
        given_up = _give_up_if_over_a_ceiling(lease, recording, cfg)
        if given_up:
            return given_up
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
                    except (ProcessFailed, encoding.EncodeFailed) as error:
                        # The quick first play is a nicety; the ladder is what matters. A
                        # fault of ours would stop the ladder too: that one is retried.
                        if not faults.classify(error).is_content:
                            raise
                        logger.warning("Quick remux failed for %s", recording, exc_info=True)
                _run_attempt(lease, recording, AttemptKind.LADDER, source, inspection, worker, cfg)
            _plan_captions(recording)
        except (LeaseLost, DatabaseError):
            # Another worker has the recording, or the database is out of reach (nothing
            # can be recorded now): the task retries, and the next run records it.
            raise
        except Exception as error:
            fault = faults.classify(error)
            if fault.is_content:
                return _content_failure(lease, recording_id, fault)
            raise _infrastructure_fault(lease, recording_id, fault, cfg) from error
        finally:
            shutil.rmtree(work_folder(recording, "source"), ignore_errors=True)
        return RecordingStatus.READY

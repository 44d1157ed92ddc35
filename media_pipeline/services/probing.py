"""Probing: checking an uploaded recording's file, which either rejects it with a reason a
person can act on or records its facts and leaves it queued for transcoding."""

import logging
import shutil
from dataclasses import dataclass

from .. import encoding, storage
from ..conf import config
from ..ffmpeg import RejectedMedia, check_size
from ..models import Recording, RecordingStatus
from .leases import change_status, holding
from .steps import Step, StepToQueue, TransientError, fresh_work_folder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProbeResult:
    """The recording's status after a probe, and the transcode to queue once committed when
    this probe is what queued the recording (a repeated probe queues nothing)."""

    status: str
    to_queue: StepToQueue | None = None


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


def probe_recording(*, recording_id: int) -> ProbeResult:
    """Check an uploaded recording: reject it with a reason, or queue it for transcoding."""
    cfg = config()
    with holding(recording_id) as lease:
        recording = Recording.objects.get(pk=recording_id)
        if recording.status not in (RecordingStatus.UPLOADED, RecordingStatus.PROBING):
            return ProbeResult(recording.status)
        change_status(
            lease,
            source=(RecordingStatus.UPLOADED, RecordingStatus.PROBING),
            target=RecordingStatus.PROBING,
        )
        work = fresh_work_folder(recording, "probe")
        try:
            check_size(storage.pipeline_storage().size(recording.source.name), cfg.limits)
            with storage.local_source(recording.source.name, work) as path:
                inspection = encoding.inspect(path, config=cfg)
        except RejectedMedia as rejection:
            change_status(
                lease,
                source=(RecordingStatus.PROBING,),
                target=RecordingStatus.REJECTED,
                error=rejection.reason,
            )
            logger.info("Recording %s rejected: %s", recording_id, rejection.reason)
            return ProbeResult(RecordingStatus.REJECTED)
        except Exception as error:
            raise TransientError(
                f"could not probe: {error}", retry_in=cfg.retry_backoff_seconds
            ) from error
        finally:
            shutil.rmtree(work, ignore_errors=True)
        change_status(
            lease,
            source=(RecordingStatus.PROBING,),
            target=RecordingStatus.QUEUED,
            attempts=0,
            error="",
            **_facts(inspection),
        )
        return ProbeResult(
            RecordingStatus.QUEUED, StepToQueue(recording_id=recording_id, step=Step.TRANSCODE)
        )

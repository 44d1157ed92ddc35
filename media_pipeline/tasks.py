"""Celery tasks: thin wrappers over ``services``, routed to the ``transcode`` queue.

They take recording ids, are safe to run twice (a finished recording is left alone, a held
one waits) and are acknowledged late, so a message is redelivered if its worker dies. Since
not every broker redelivers promptly (and the embedded filesystem broker not at all), every
worker also queues all unfinished recordings again when it starts, and a periodic sweep
queues those whose worker vanished or whose message was lost.
"""

import logging
import os
import socket

from celery import shared_task
from celery.signals import worker_ready

from . import services
from .conf import config
from .models import Recording

logger = logging.getLogger(__name__)


def _worker_name(task) -> str:
    return f"{task.request.hostname or socket.gethostname()} pid {os.getpid()}"


# max_retries=None: waiting for another worker's lease is not a failure, and transient errors
# are bounded by the attempt limits below, not by Celery's retry count.
@shared_task(
    bind=True, name="media_pipeline.tasks.probe_recording", acks_late=True, max_retries=None
)
def probe_recording(self, recording_id: int):
    try:
        return services.probe_recording(recording_id=recording_id)
    except Recording.DoesNotExist:
        return "deleted"
    except services.RecordingBusy as busy:
        raise self.retry(countdown=busy.retry_in + 1) from None
    except services.TransientError as error:
        if self.request.retries >= config().max_attempts:
            services.fail_recording(
                recording_id=recording_id, reason=f"The file could not be checked: {error}"
            )
            return "failed"
        raise self.retry(countdown=error.retry_in * 2**self.request.retries) from None


@shared_task(
    bind=True, name="media_pipeline.tasks.transcode_recording", acks_late=True, max_retries=None
)
def transcode_recording(self, recording_id: int):
    try:
        return services.transcode_recording(recording_id=recording_id, worker=_worker_name(self))
    except Recording.DoesNotExist:
        # Deleted while its message waited (or a message redelivered long after).
        return "deleted"
    except services.RecordingBusy as busy:
        raise self.retry(countdown=busy.retry_in + 1) from None
    except services.LeaseLost:
        logger.warning("Recording %s was taken over by another worker", recording_id)
        return "taken over"
    except services.TransientError as error:
        # The service counts attempts in the database and fails the recording at the limit.
        raise self.retry(countdown=error.retry_in) from None


@shared_task(name="media_pipeline.tasks.resume_unfinished_recordings")
def resume_unfinished_recordings():
    return services.resume_unfinished()


# Run by celery beat (CELERY_BEAT_SCHEDULE): finds recordings whose worker vanished or whose
# message was lost, while the other workers keep running.
@shared_task(name="media_pipeline.tasks.requeue_stuck_recordings")
def requeue_stuck_recordings():
    return services.requeue_stuck()


@worker_ready.connect
def _resume_when_a_worker_starts(sender=None, **kwargs):
    resume_unfinished_recordings.delay()

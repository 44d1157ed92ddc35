"""Celery tasks: the thin layer that runs the services' worker steps and queues what they
leave waiting, routed to the ``transcode`` queue: probe, transcode, then automatic captions.

They take recording (or caption job) ids, are safe to run twice (a finished recording is
left alone, a held one waits) and are acknowledged late, so a message is redelivered if its
worker dies. Since not every broker redelivers promptly (and the embedded filesystem broker
not at all), every worker also queues all unfinished recordings and caption jobs again when
it starts, and a periodic sweep queues those whose worker vanished or whose message was
lost.

Services never queue: :func:`queue` and :func:`queue_on_commit` here turn the
:class:`~media_pipeline.services.steps.StepToQueue` a service returns into a message, for
these tasks and for the views that start work.
"""

import logging
import os
import socket

from celery import shared_task
from celery.signals import worker_init, worker_ready
from django.db import DatabaseError, transaction

from .conf import config
from .models import CaptionJob, Recording, RecordingStatus
from .services import auto_captions, faults, probing, recovery, transcoding
from .services.leases import LeaseLost, RecordingBusy
from .services.recordings import fail_recording
from .services.steps import Step, StepToQueue, TransientError

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
        result = probing.probe_recording(recording_id=recording_id)
    except Recording.DoesNotExist:
        return "deleted"
    except RecordingBusy as busy:
        raise self.retry(countdown=busy.retry_in + 1) from None
    except DatabaseError as error:
        raise _retry_without_the_database(self, recording_id, error) from None
    except TransientError as error:
        if self.request.retries >= config().max_attempts:
            fail_recording(
                recording_id=recording_id, reason=f"The file could not be checked: {error}"
            )
            return "failed"
        raise self.retry(countdown=error.retry_in * 2**self.request.retries) from None
    if result.to_queue is not None:
        queue_on_commit(result.to_queue)
    return result.status


@shared_task(
    bind=True, name="media_pipeline.tasks.transcode_recording", acks_late=True, max_retries=None
)
def transcode_recording(self, recording_id: int, interrupted: str = ""):
    """``interrupted``: why this worker's previous try stopped where it could not record it
    (the database was out of reach), to record once it can."""
    fault = faults.database_unreachable(interrupted) if interrupted else None
    try:
        status = transcoding.transcode_recording(
            recording_id=recording_id, worker=_worker_name(self), interrupted=fault
        )
    except Recording.DoesNotExist:
        # Deleted while its message waited (or a message redelivered long after).
        return "deleted"
    except RecordingBusy as busy:
        raise self.retry(countdown=busy.retry_in + 1) from None
    except LeaseLost:
        logger.warning("Recording %s was taken over by another worker", recording_id)
        return "taken over"
    except TransientError as error:
        # An infrastructure fault: the service counted it, named it in the recording's
        # status, and fails the recording at its ceiling.
        raise self.retry(countdown=error.retry_in) from None
    except DatabaseError as error:
        # The attempt it left running is recorded, with this cause, by the next try.
        raise _retry_without_the_database(
            self,
            recording_id,
            error,
            args=[recording_id],
            kwargs={"interrupted": interrupted or str(error).strip()[:500]},
        ) from None
    if status == RecordingStatus.READY:
        # The ladder is published: its automatic captions (if any) may start.
        for step in auto_captions.waiting_steps(recording_id=recording_id):
            queue(step)
    return status


# Captioning waits as transcoding does for another worker's lease; its faults of ours are
# bounded by MEDIA_PIPELINE_CAPTION_MAX_ATTEMPTS in the service, and none ever touches the
# recording.
@shared_task(
    bind=True, name="media_pipeline.tasks.caption_recording", acks_late=True, max_retries=None
)
def caption_recording(self, job_id: int):
    try:
        return auto_captions.caption_recording(job_id=job_id, worker=_worker_name(self))
    except CaptionJob.DoesNotExist:
        return "deleted"
    except auto_captions.CaptionJobBusy as busy:
        raise self.retry(countdown=busy.retry_in + 1) from None
    except auto_captions.CaptionJobLost:
        logger.warning("Caption job %s was taken over by another worker (or deleted)", job_id)
        return "taken over"
    except TransientError as error:
        raise self.retry(countdown=error.retry_in) from None
    except DatabaseError as error:
        logger.warning("Caption job %s: the database is out of reach (%s)", job_id, error)
        raise self.retry(countdown=config().backoff(self.request.retries + 1), exc=error) from None


def _retry_without_the_database(task, recording_id: int, error: DatabaseError, **message):
    """Nothing can be counted or recorded while the database is out of reach: the task is
    retried here, with backoff, rather than left for the sweep."""
    logger.warning("Recording %s: the database is out of reach (%s)", recording_id, error)
    return task.retry(countdown=config().backoff(task.request.retries + 1), exc=error, **message)


@shared_task(name="media_pipeline.tasks.resume_unfinished_recordings")
def resume_unfinished_recordings():
    steps = recovery.resume_unfinished()
    for step in steps:
        queue(step)
    return len(steps)


# Run by celery beat (CELERY_BEAT_SCHEDULE): finds recordings whose worker vanished or whose
# message was lost, while the other workers keep running.
@shared_task(name="media_pipeline.tasks.requeue_stuck_recordings")
def requeue_stuck_recordings():
    queued = []
    for step in recovery.claim_stuck_recordings():
        queue(step)
        queued.append(step.recording_id)
    for step in recovery.claim_abandoned_caption_jobs():
        queue(step)
    return queued


@worker_init.connect
def _refuse_to_start_without_the_speech_engine(sender=None, **kwargs):
    """A worker whose configured speech engine or model file is missing stops at once,
    saying which, rather than failing every caption job. (Celery's signals swallow
    exceptions, not SystemExit: its message is printed and the worker exits with status 1.)"""
    problem = auto_captions.check_engine()
    if problem:
        logger.critical("Automatic captions cannot run: %s", problem)
        raise SystemExit(f"Attune's worker cannot start: {problem}")


@worker_ready.connect
def _resume_when_a_worker_starts(sender=None, **kwargs):
    resume_unfinished_recordings.delay()


def queue(step: StepToQueue) -> None:
    """Send the task for ``step`` now (its countdown delays when a worker may start it)."""
    if step.step == Step.CAPTIONS:
        caption_recording.apply_async(args=[step.job_id], countdown=step.countdown)
        return
    task = probe_recording if step.step == Step.PROBE else transcode_recording
    task.apply_async(args=[step.recording_id], countdown=step.countdown)


def queue_on_commit(step: StepToQueue) -> None:
    """Send the task for ``step`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: queue(step))


def queue_captions_on_commit(job_id: int) -> None:
    """Send the caption job's task once the current transaction commits: the admin's "Make
    automatic captions", after :func:`.services.auto_captions.request_captions`."""
    transaction.on_commit(lambda: caption_recording.apply_async(args=[job_id]))

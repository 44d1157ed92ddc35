"""Automatic captions: the worker's speech engine writes a recording's caption track.

Once the full ladder is published (the first playable rendition never waits for this), a
:class:`~media_pipeline.models.CaptionJob` is queued for the configured language when the
recording has sound, the engine is on and no person has checked a track in that language. The
job moves queued → running → done (a track, state automatic), empty (no speech heard),
skipped (a person's track stays, or captions are off) or failed, and never touches the
recording's status or playback.

A worker holds a job through a lease on its row, as it holds a recording (a token and an
expiry, taken with a conditional UPDATE and renewed while it works), so two deliveries never
run it at once. It is resumable: the engine reports every so often how much audio it has
done and the words it heard, both saved on the job, and a worker that takes a dead one's job
over continues from there. Faults of ours are retried with the pipeline's backoff up to
``MEDIA_PIPELINE_CAPTION_MAX_ATTEMPTS``; a file ffmpeg cannot read fails at once.
"""

import errno
import functools
import json
import logging
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.db.models import DurationField, F, Q, Value
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .. import encoding, runner, storage
from ..conf import CaptionConfig, PipelineConfig, caption_config, config
from ..ffmpeg import speech_audio_command
from ..models import (
    Caption,
    CaptionJob,
    CaptionJobStatus,
    CaptionState,
    Recording,
    RecordingStatus,
)
from ..speech import SAMPLE_RATE, Engine, EngineConfigurationError, Word, engines
from ..speech.cues import build_cues, to_webvtt
from . import faults
from .captioning import CaptionKept, store_caption
from .leases import lease_expiry
from .recordings import ActionRefused
from .steps import Step, StepToQueue, TransientError, fresh_work_folder

logger = logging.getLogger(__name__)

ACTIVE = (CaptionJobStatus.QUEUED, CaptionJobStatus.RUNNING)
FINISHED = (
    CaptionJobStatus.DONE,
    CaptionJobStatus.EMPTY,
    CaptionJobStatus.SKIPPED,
    CaptionJobStatus.FAILED,
)


def no_speech_note() -> str:
    return _("No speech was found in the audio; add captions by hand or upload a file.")


class CaptionJobBusy(Exception):
    """Another worker holds the job; try again when its lease may have run out."""

    def __init__(self, retry_in: float):
        super().__init__(f"the caption job is held by another worker for {retry_in:.0f} s")
        self.retry_in = max(0.0, retry_in)


class CaptionJobLost(Exception):
    """This worker's lease on the job ran out (another took it over) or the job is gone."""


# Engines, by name and options, loaded once per worker process: a model takes a while to
# read and the same one serves every job.
@functools.cache
def _load_engine(name: str, options_json: str) -> Engine:
    return engines.load_engine(name, json.loads(options_json))


def engine_for(settings: CaptionConfig) -> Engine:
    """The configured engine; raises :class:`EngineConfigurationError` saying what is
    missing (the engine's package or a model file)."""
    return _load_engine(settings.engine, json.dumps(settings.engine_options, sort_keys=True))


def check_engine() -> str | None:
    """Why the configured engine cannot run here (a missing package or model file), or None
    (also when captions are off). Loads no model: ``manage.py`` and a worker's start call it."""
    settings = caption_config()
    if not settings.enabled:
        return None
    problems = engines.check(settings.engine, settings.engine_options)
    if not problems and not _hears(settings, settings.language):
        problems.append(
            f"MEDIA_PIPELINE_CAPTION_LANGUAGE is {settings.language!r} but the "
            f"{settings.engine} model hears {', '.join(_languages(settings))}; configure a "
            "model for that language (and its tag in MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS"
            "['languages']) or set MEDIA_PIPELINE_CAPTION_LANGUAGE to one it hears."
        )
    return "\n".join(problems) or None


def _languages(settings: CaptionConfig) -> tuple[str, ...]:
    # The engines' own default: the models pip installs hear English.
    return tuple(settings.engine_options.get("languages") or ("en",))


def _hears(settings: CaptionConfig, language: str) -> bool:
    """Whether the configured model transcribes ``language`` (en-US is heard as en)."""
    primary = language.split("-")[0].lower()
    return any(tag.split("-")[0].lower() == primary for tag in _languages(settings))


def language_label(language: str) -> str:
    """What viewers pick in the player for ``language``, e.g. English."""
    try:
        return get_language_info(language)["name"]
    except KeyError:
        try:
            return get_language_info(language.split("-")[0])["name"]
        except KeyError:
            return language


# Leases on a job's row.


@dataclass(frozen=True)
class JobLease:
    job_id: int
    token: str


def _acquire(job_id: int) -> JobLease:
    token = uuid.uuid4().hex
    free = CaptionJob.objects.filter(pk=job_id).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=Now())
    )
    if free.update(lease_token=token, lease_expires_at=lease_expiry(), updated_at=Now()):
        return JobLease(job_id, token)
    held_until = CaptionJob.objects.values_list("lease_expires_at", flat=True).get(pk=job_id)
    retry_in = (held_until - timezone.now()).total_seconds() if held_until else 0
    raise CaptionJobBusy(retry_in)


def _renew(lease: JobLease, **fields) -> None:
    held = CaptionJob.objects.filter(pk=lease.job_id, lease_token=lease.token)
    if not held.update(lease_expires_at=lease_expiry(), updated_at=Now(), **fields):
        raise CaptionJobLost(f"lost the lease on caption job {lease.job_id}")


def _release(lease: JobLease) -> None:
    CaptionJob.objects.filter(pk=lease.job_id, lease_token=lease.token).update(
        lease_token="", lease_expires_at=None, updated_at=Now()
    )


@contextmanager
def _holding(job_id: int):
    lease = _acquire(job_id)
    try:
        yield lease
    finally:
        _release(lease)


def _move(lease: JobLease, *, target: str, source=ACTIVE, **fields) -> str:
    """The one way a job changes status: only from ``source``, only by the lease holder. A
    job that stops running (finished, or queued to retry) lets its lease go in the same
    update, so nobody sees a finished job still held."""
    if target in FINISHED:
        fields.setdefault("finished_at", timezone.now())
    if target != CaptionJobStatus.RUNNING:
        fields.update(lease_token="", lease_expires_at=None)
    moved = CaptionJob.objects.filter(
        pk=lease.job_id, lease_token=lease.token, status__in=source
    ).update(status=target, updated_at=Now(), **fields)
    if not moved:
        raise CaptionJobLost(f"caption job {lease.job_id} is no longer ours to move to {target}")
    return target


class _Keeper:
    """Renews the job's lease (saving ``fields``) at most every ``interval`` seconds."""

    def __init__(self, lease: JobLease, interval: float):
        self.lease, self.interval, self.last = lease, interval, time.monotonic()

    def __call__(self, *args, force: bool = False, **fields) -> None:
        if force or fields or time.monotonic() - self.last >= self.interval:
            self.last = time.monotonic()
            _renew(self.lease, **fields)


# Deciding and requesting.


def _person_track(recording_id: int, language: str) -> Caption | None:
    return (
        Caption.objects.filter(recording_id=recording_id, language=language)
        .exclude(state=CaptionState.AUTOMATIC)
        .first()
    )


def _has_sound(recording: Recording) -> bool:
    if not recording.probe:
        return False
    return encoding.inspection_from_raw(recording.probe).probe.audio is not None


def _fresh_job_fields(settings: CaptionConfig) -> dict:
    return {
        "status": CaptionJobStatus.QUEUED,
        "engine": settings.engine[:64],
        "progress": 0,
        "processed_seconds": 0,
        "words": [],
        "note": "",
        "attempts": 0,
        "started_at": None,
        "finished_at": None,
        "updated_at": timezone.now(),
    }


def _step(job: CaptionJob, countdown: float = 0) -> StepToQueue:
    return StepToQueue(
        recording_id=job.recording_id, step=Step.CAPTIONS, countdown=countdown, job_id=job.pk
    )


def plan_after_ladder(*, recording: Recording) -> StepToQueue | None:
    """Called once the ladder is published: queue (create, or start again for a new source)
    the caption job in the configured language when the engine is on, the recording has
    sound and no person has checked a track in that language. Returns the step to queue."""
    settings = caption_config()
    language = settings.language
    if not settings.enabled or not _has_sound(recording):
        return None
    if _person_track(recording.pk, language) is not None:
        return None
    with transaction.atomic():
        job, created = CaptionJob.objects.select_for_update().get_or_create(
            recording=recording, language=language, defaults=_fresh_job_fields(settings)
        )
        if not created and job.status in FINISHED:
            # The ladder is published again only for a new source: its words are new too.
            CaptionJob.objects.filter(pk=job.pk).update(**_fresh_job_fields(settings))
    return _step(job)


def request_captions(*, recording: Recording, language: str) -> CaptionJob:
    """Ask for automatic captions of ``recording`` in ``language`` (the admin's button):
    creates the job, or starts a finished one again from the beginning. The caller queues
    it with :func:`media_pipeline.tasks.queue_captions_on_commit` once committed. Raises
    :class:`~media_pipeline.services.recordings.ActionRefused` saying why it cannot be done
    now (captions off, not ready, no sound, a person's track, a job already under way)."""
    settings = caption_config()
    if not settings.enabled:
        raise ActionRefused(_("Automatic captions are turned off on this server."))
    if not _hears(settings, language):
        raise ActionRefused(
            _(
                "The speech engine does not understand that language (%(language)s); "
                "upload captions in it instead."
            )
            % {"language": language_label(language)}
        )
    recording = Recording.objects.get(pk=recording.pk)
    if recording.status != RecordingStatus.READY:
        raise ActionRefused(
            _("Automatic captions can be made once the recording has finished processing.")
        )
    if not _has_sound(recording):
        raise ActionRefused(_("The recording has no sound to make captions from."))
    kept = _person_track(recording.pk, language)
    if kept is not None:
        raise ActionRefused(
            _(
                "The %(language)s captions are %(state)s: automatic captions would not "
                "replace them. Edit them in the caption editor instead."
            )
            % {"language": kept.label, "state": kept.get_state_display().lower()}
        )
    with transaction.atomic():
        job, created = CaptionJob.objects.select_for_update().get_or_create(
            recording=recording, language=language, defaults=_fresh_job_fields(settings)
        )
        if created or job.status == CaptionJobStatus.QUEUED:
            return job
        if job.status == CaptionJobStatus.RUNNING:
            raise ActionRefused(
                _("Automatic captions are being made (%(progress)s%% done); wait for them.")
                % {"progress": job.progress}
            )
        CaptionJob.objects.filter(pk=job.pk).update(**_fresh_job_fields(settings))
        job.refresh_from_db()
    return job


def waiting_steps(*, recording_id: int) -> list[StepToQueue]:
    """The caption jobs of a recording waiting for a worker (queued after its ladder)."""
    jobs = CaptionJob.objects.filter(recording_id=recording_id, status=CaptionJobStatus.QUEUED)
    return [_step(job) for job in jobs]


def unfinished_steps() -> list[StepToQueue]:
    """Every unfinished caption job's step (to queue when a worker starts), timed for when
    its lease runs out."""
    now = timezone.now()
    steps = []
    for job in CaptionJob.objects.filter(status__in=ACTIVE).order_by("created_at"):
        expires = job.lease_expires_at
        wait = (expires - now).total_seconds() + 1 if expires and expires > now else 0
        steps.append(_step(job, countdown=wait))
    return steps


def claim_abandoned_jobs() -> list[StepToQueue]:
    """Unfinished jobs nobody is working on, claimed for the periodic sweep: those whose
    worker vanished (its lease ran out unrenewed) and those untouched, holding no lease, for
    ``stuck_after_seconds`` (their message was lost). Each is claimed by a conditional
    UPDATE clearing the dead lease and touching ``updated_at``, so two sweeps never queue
    one twice."""
    stale_before = Now() - Value(timedelta(seconds=config().stuck_after_seconds), DurationField())
    stuck = Q(lease_expires_at__lt=Now()) | Q(
        lease_expires_at__isnull=True, updated_at__lt=stale_before
    )
    steps = []
    for job in CaptionJob.objects.filter(stuck, status__in=ACTIVE):
        claimed = CaptionJob.objects.filter(
            stuck, pk=job.pk, status=job.status, lease_token=job.lease_token
        ).update(lease_token="", lease_expires_at=None, updated_at=Now())
        if claimed:
            logger.warning("Re-queued caption job %s: nobody was working on it", job)
            steps.append(_step(job))
    return steps


# The job.


def _extract_speech(recording: Recording, keeper: _Keeper, cfg: PipelineConfig, work):
    """16 kHz mono PCM of the recording's sound, from its source, in ``work``."""
    inspection = encoding.inspection_from_raw(recording.probe)
    duration = inspection.probe.duration or 0.0
    pcm = work / "speech.pcm"
    with storage.local_source(recording.source.name, work) as source:
        if not source.is_file():
            # The storage lost it (ours, retried), not a file ffmpeg could not read.
            raise FileNotFoundError(errno.ENOENT, "the recording's source is missing", source.name)
        runner.run_ffmpeg(
            speech_audio_command(
                source,
                demuxer=inspection.demuxer,
                out=pcm,
                sample_rate=SAMPLE_RATE,
                binary=cfg.ffmpeg,
            ),
            duration=duration,
            wall_limit=cfg.wall_limit(duration),
            stall_limit=cfg.stall_seconds,
            on_tick=keeper,
            limits=cfg.sandbox.encode_limits(duration),
            isolate_network=cfg.sandbox.isolate_network,
        )
    return pcm, duration


def _saved(words) -> list[Word]:
    return [Word(float(start), float(end), str(text)) for start, end, text in words]


def _as_json(words: list[Word]) -> list:
    return [[round(w.start, 3), round(w.end, 3), w.text] for w in words]


def _transcribe(lease, job: CaptionJob, engine: Engine, cfg: PipelineConfig) -> list[Word]:
    """Every word of the recording: those saved by earlier tries, then the engine's from
    where they stopped, saving progress (and renewing the lease) as it reports it."""
    recording = job.recording
    keeper = _Keeper(lease, cfg.lease_renewal_seconds)
    work = fresh_work_folder(recording, f"captions-{job.language}")
    try:
        pcm, duration = _extract_speech(recording, keeper, cfg, work)
        keeper(force=True)
        heard = _saved(job.words)

        def on_progress(seconds: float, words: list[Word]) -> None:
            heard.extend(words)
            percent = min(99, int(100 * seconds / duration)) if duration > 0 else 0
            keeper(processed_seconds=seconds, words=_as_json(heard), progress=percent)

        start = job.processed_seconds
        before = _saved(job.words)
        after = list(engine.transcribe(pcm, start=start, on_progress=on_progress))
        # A word the earlier try saved is not heard twice at the seam.
        seam = before[-1].end - 0.05 if before else float("-inf")
        return before + [word for word in after if word.start >= seam]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _failed_note(reason: str) -> str:
    return _(
        "Automatic captions could not be made: %(reason)s Add captions by hand or upload a file."
    ) % {"reason": reason.rstrip(".") + "."}


def _store(lease, job: CaptionJob, words: list[Word], engine_name: str) -> str:
    cues = build_cues(words)
    webvtt_text = to_webvtt(cues)
    try:
        with transaction.atomic():
            caption = store_caption(
                recording=job.recording,
                language=job.language,
                label=language_label(job.language),
                webvtt_text=webvtt_text,
                state=CaptionState.AUTOMATIC,
                note=_("Made by the %(engine)s speech engine") % {"engine": engine_name},
            )
            return _move(
                lease,
                target=CaptionJobStatus.DONE,
                progress=100,
                words=_as_json(words),
                note=_(
                    "%(count)s captions were made automatically; review them in the caption "
                    "editor before the recording is published."
                )
                % {"count": caption.cue_count},
            )
    except CaptionKept as kept:
        return _move(lease, target=CaptionJobStatus.SKIPPED, progress=100, note=str(kept))


def caption_recording(*, job_id: int, worker: str = "") -> str:
    """Make the automatic captions of a queued job. Idempotent: a finished job is left as it
    is. Returns the job's status afterwards; raises :class:`CaptionJobBusy`,
    :class:`CaptionJobLost`, :class:`~media_pipeline.services.steps.TransientError` (a fault
    of ours, counted, to retry after the backoff) or a database error for the task."""
    cfg, settings = config(), caption_config()
    with _holding(job_id) as lease:
        job = CaptionJob.objects.select_related("recording").get(pk=job_id)
        if job.status not in ACTIVE:
            return job.status
        if job.status == CaptionJobStatus.RUNNING:
            # Its worker died (a clean stop always leaves it queued or finished).
            job.attempts += 1
            _renew(lease, attempts=job.attempts, note=faults.worker_lost().retrying())
            logger.warning("Caption job %s: %s takes over from a worker that stopped", job, worker)
        if job.attempts >= settings.max_attempts:
            note = _failed_note(
                _("it was tried %(count)s times (%(reason)s)")
                % {"count": job.attempts, "reason": job.note or _("no reason was recorded")}
            )
            return _move(lease, target=CaptionJobStatus.FAILED, note=note)
        if not settings.enabled:
            return _move(
                lease,
                target=CaptionJobStatus.SKIPPED,
                note=_("Automatic captions are turned off on this server."),
            )
        kept = _person_track(job.recording_id, job.language)
        if kept is not None:
            return _move(
                lease,
                target=CaptionJobStatus.SKIPPED,
                progress=100,
                note=_("The %(state)s captions stay; automatic captions were not made.")
                % {"state": kept.get_state_display().lower()},
            )
        if not _has_sound(job.recording):
            return _move(
                lease,
                target=CaptionJobStatus.EMPTY,
                progress=100,
                note=_("The recording has no sound; add captions by hand or upload a file."),
            )
        _move(
            lease,
            target=CaptionJobStatus.RUNNING,
            engine=settings.engine[:64],
            started_at=job.started_at or timezone.now(),
        )
        try:
            engine = engine_for(settings)
            words = _transcribe(lease, job, engine, cfg)
        except (CaptionJobLost, DatabaseError):
            raise
        except EngineConfigurationError as error:
            # A start-up check refuses this; a worker started before the model vanished.
            return _move(lease, target=CaptionJobStatus.FAILED, note=_failed_note(str(error)))
        except Exception as error:
            fault = faults.classify(error)
            if fault.is_content:
                logger.error("Caption job %s failed: %s", job, fault.message)
                return _move(
                    lease, target=CaptionJobStatus.FAILED, note=_failed_note(fault.message)
                )
            _move(
                lease,
                target=CaptionJobStatus.QUEUED,
                attempts=F("attempts") + 1,
                note=fault.retrying(),
            )
            logger.warning("Caption job %s on %s will be retried: %s", job, worker, fault.message)
            raise TransientError(fault.message, retry_in=cfg.backoff(job.attempts + 1)) from error
        if not words:
            return _move(
                lease,
                target=CaptionJobStatus.EMPTY,
                progress=100,
                words=[],
                note=no_speech_note(),
            )
        return _store(lease, job, words, settings.engine)

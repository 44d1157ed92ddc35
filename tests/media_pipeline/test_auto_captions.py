"""Automatic captions made by the worker after the ladder: spoken words become an automatic
track timed to the speech, silence and noise an empty job with a note, a person's track is
never overwritten, a job runs once, resumes where it stopped, and never touches playback."""

import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import webvtt
from django.conf import settings as django_settings
from django.utils import timezone

from media_pipeline.captions import parse_captions
from media_pipeline.checks import speech_engine_check
from media_pipeline.ffmpeg import speech_audio_command
from media_pipeline.models import (
    AttemptKind,
    AttemptStatus,
    Caption,
    CaptionJob,
    CaptionJobStatus,
    CaptionState,
    Recording,
    RecordingStatus,
)
from media_pipeline.services import auto_captions
from media_pipeline.services.captioning import add_caption
from media_pipeline.services.probing import probe_recording
from media_pipeline.services.recordings import ActionRefused
from media_pipeline.services.steps import Step, TransientError
from media_pipeline.services.transcoding import transcode_recording
from media_pipeline.storage import list_tree, pipeline_storage
from tests.conftest import ROOT, WorkerProcess, purge_queues, worker_environment
from tests.factories import OrganizationFactory

from .published import CAPTIONS, published_recording
from .recordings import upload
from .speech_media import noise, silence, speech_video
from .workers import wait_for

# About 17 s of speech with clear pauses between the sentences.
SENTENCES = [
    "Babies learn about the world through their relationships.",
    "A caregiver who notices and responds helps the baby feel safe.",
    "Serve and return builds the architecture of the brain.",
]
NO_SPEECH = "No speech was found in the audio; add captions by hand or upload a file."
MISSING_MODEL = "/srv/attune/models/acoustic-model-that-is-not-there"


def cues_of(caption: Caption) -> list:
    with pipeline_storage().open(caption.file.name, "rb") as handle:
        text = handle.read().decode()
    parse_captions(text.encode())  # Attune's own validation: it raises naming the line
    return webvtt.from_string(text).captions


def assert_timed_to_the_speech(cues, spoken) -> None:
    """Each sentence's first cue starts within 1.0 s of where the sentence is spoken, and
    no cue starts where nothing is said."""
    for sentence in spoken:
        during = [
            c
            for c in cues
            if c.start_in_seconds < sentence.end and c.end_in_seconds > sentence.start
        ]
        assert during, f"no cue while “{sentence.text}” is spoken"
        assert abs(during[0].start_in_seconds - sentence.start) <= 1.0, (sentence, during[0])
    for cue in cues:
        assert any(s.start - 1.0 <= cue.start_in_seconds <= s.end for s in spoken), cue


def video_with_sound(path: Path, sound: Path) -> Path:
    """A small test-pattern MP4 whose audio is ``sound`` (silence, noise)."""
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15",
            "-i", str(sound),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def spoken_clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    path = folder / "serve-and-return.mp4"
    return path, speech_video(path, SENTENCES, gap=1.5)


@pytest.fixture
def captions_on(settings, private_storage):
    settings.MEDIA_PIPELINE_CAPTION_ENGINE = "pocketsphinx"
    settings.MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS = {}
    settings.MEDIA_PIPELINE_CAPTION_LANGUAGE = "en"
    return settings


def ready_with_job(owner, clip) -> tuple[Recording, CaptionJob]:
    recording = published_recording(owner, clip, captions=False)
    assert recording.status == RecordingStatus.READY
    return recording, CaptionJob.objects.get(recording=recording)


def test_speech_audio_is_read_as_16_khz_mono_pcm_from_a_whitelisted_local_file():
    argv = speech_audio_command("/media/in.mp4", demuxer="mov", out="/work/speech.pcm")
    source_at = argv.index("-i") + 1
    inputs, outputs = argv[:source_at], argv[source_at + 1 :]
    assert argv[source_at] == "file:/media/in.mp4"
    assert inputs[inputs.index("-protocol_whitelist") + 1] == "file"
    assert inputs[inputs.index("-f") + 1] == "mov"
    assert outputs[-1] == "/work/speech.pcm"
    assert dict(zip(outputs[:-1:2], outputs[1:-1:2], strict=True)) == {
        "-map": "0:a:0",  # the sound only: pictures are not decoded
        "-f": "s16le",
        "-acodec": "pcm_s16le",
        "-ac": "1",
        "-ar": "16000",
        "-map_metadata": "-1",
    }


# The job after the ladder, in process.


def test_ladder_queues_a_caption_job_only_after_it_is_published(captions_on, owner, spoken_clip):
    recording, job = ready_with_job(owner, spoken_clip[0])
    ladder = recording.transcode_attempts.get(kind=AttemptKind.LADDER)
    assert ladder.status == AttemptStatus.SUCCEEDED
    assert job.created_at >= ladder.finished_at, "the first playable rendition never waits"
    assert (job.status, job.language, job.engine) == (CaptionJobStatus.QUEUED, "en", "pocketsphinx")
    steps = auto_captions.waiting_steps(recording_id=recording.pk)
    assert [(s.step, s.job_id) for s in steps] == [(Step.CAPTIONS, job.pk)]


def test_no_job_without_sound_when_captions_are_off_or_over_a_persons_track(
    captions_on, owner, clips
):
    silent_film = published_recording(owner, clips("silent.mp4", audio=False), captions=False)
    assert not silent_film.caption_jobs.exists()

    # The facilitator uploaded captions while the recording was being processed.
    with_upload = upload(owner, clips("tone.mp4"))
    probe_recording(recording_id=with_upload.pk)
    add_caption(recording=with_upload, language="en", label="English", data=CAPTIONS)
    assert transcode_recording(recording_id=with_upload.pk) == RecordingStatus.READY
    assert not with_upload.caption_jobs.exists(), "captions are not made over an uploaded track"

    captions_on.MEDIA_PIPELINE_CAPTION_ENGINE = ""
    off = published_recording(owner, clips("tone.mp4"), captions=False)
    assert not off.caption_jobs.exists()


def test_speech_becomes_an_automatic_track_timed_to_the_words(captions_on, owner, spoken_clip):
    clip, spoken = spoken_clip
    recording, job = ready_with_job(owner, clip)

    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.DONE

    job.refresh_from_db()
    caption = recording.captions.get()
    assert (caption.state, caption.language, caption.label) == (
        CaptionState.AUTOMATIC,
        "en",
        "English",
    )
    assert (job.progress, job.lease_token) == (100, "") and job.words and job.finished_at
    assert_timed_to_the_speech(cues_of(caption), spoken)
    assert caption.versions.get().created_by is None

    # A second delivery of the same message does nothing new.
    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.DONE
    assert caption.versions.count() == 1


def test_a_job_held_by_another_worker_waits(captions_on, owner, spoken_clip):
    _, job = ready_with_job(owner, spoken_clip[0])
    with auto_captions._holding(job.pk), pytest.raises(auto_captions.CaptionJobBusy):
        auto_captions.caption_recording(job_id=job.pk)
    assert CaptionJob.objects.get(pk=job.pk).status == CaptionJobStatus.QUEUED


def test_a_job_taken_over_continues_from_the_saved_words(captions_on, owner, spoken_clip):
    """A worker died after the first sentence: its words and how far it got are on the job.
    The next worker keeps them and hears only the rest."""
    clip, spoken = spoken_clip
    recording, job = ready_with_job(owner, clip)
    first, rest = spoken[0], spoken[1:]
    # Words no engine would hear in this audio, to tell saved words from heard ones.
    middle, end = round(first.start + 0.4, 3), round(first.end, 3)
    said_before = [[first.start, middle, "previously"], [middle, end, "saved"]]
    cut = end + 0.75  # in the pause after the first sentence
    CaptionJob.objects.filter(pk=job.pk).update(
        status=CaptionJobStatus.RUNNING,
        processed_seconds=cut,
        words=said_before,
        progress=40,
        lease_token="dead-worker",
        lease_expires_at=None,
    )

    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.DONE

    job.refresh_from_db()
    assert job.attempts == 1, "the worker that died is counted"
    cues = cues_of(recording.captions.get())
    assert " ".join(c.text for c in cues).startswith("previously saved")
    assert job.words[:2] == said_before
    assert all(word[0] >= first.end for word in job.words[2:]), (
        "the first sentence is not heard again"
    )
    assert_timed_to_the_speech(cues, [first, *rest])


@pytest.mark.parametrize("sound", ["silence", "noise"])
def test_silence_or_noise_ends_empty_with_a_note_and_no_track(captions_on, owner, tmp_path, sound):
    wav = tmp_path / f"{sound}.wav"
    (silence(wav, 8) if sound == "silence" else noise(wav, 8))
    clip = video_with_sound(tmp_path / f"{sound}.mp4", wav)
    recording, job = ready_with_job(owner, clip)

    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.EMPTY

    job.refresh_from_db()
    assert job.note == NO_SPEECH and job.progress == 100
    assert not recording.captions.exists()
    assert not [name for name in list_tree(recording.storage_prefix) if "/captions/" in name]


def test_a_persons_track_uploaded_meanwhile_stays(captions_on, owner, spoken_clip):
    recording, job = ready_with_job(owner, spoken_clip[0])
    uploaded = add_caption(
        recording=recording,
        language="en",
        label="English",
        data=b"WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nChecked by the facilitator.\n",
    )

    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.SKIPPED

    job.refresh_from_db()
    assert "uploaded captions stay" in job.note
    caption = recording.captions.get()
    assert caption.pk == uploaded.pk and caption.state == CaptionState.UPLOADED
    assert caption.versions.count() == 1 and "facilitator" in caption.text


def test_faults_are_retried_then_fail_without_touching_the_recording(
    captions_on, owner, spoken_clip
):
    captions_on.MEDIA_PIPELINE_CAPTION_MAX_ATTEMPTS = 2
    recording, job = ready_with_job(owner, spoken_clip[0])
    before = Recording.objects.values().get(pk=recording.pk)
    # The storage lost the source: a fault of ours, not the file's.
    pipeline_storage().delete(recording.source.name)

    for attempt in (1, 2):
        with pytest.raises(TransientError):
            auto_captions.caption_recording(job_id=job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (CaptionJobStatus.QUEUED, attempt)
        assert "storage could not be reached" in job.note and job.note.endswith("retrying")

    assert auto_captions.caption_recording(job_id=job.pk) == CaptionJobStatus.FAILED
    job.refresh_from_db()
    assert job.note.startswith("Automatic captions could not be made: it was tried 2 times")
    assert job.note.endswith("Add captions by hand or upload a file.")
    assert Recording.objects.values().get(pk=recording.pk) == before
    assert not recording.captions.exists()


def test_an_abandoned_job_is_claimed_once_by_the_sweep(captions_on, owner, spoken_clip):
    _, job = ready_with_job(owner, spoken_clip[0])
    CaptionJob.objects.filter(pk=job.pk).update(
        status=CaptionJobStatus.RUNNING,
        lease_token="dead-worker",
        lease_expires_at=timezone.now() - timedelta(minutes=5),
    )
    assert [s.job_id for s in auto_captions.claim_abandoned_jobs()] == [job.pk]
    assert auto_captions.claim_abandoned_jobs() == []
    assert [s.job_id for s in auto_captions.unfinished_steps()] == [job.pk]


def test_a_queued_job_whose_message_was_lost_is_claimed_by_the_sweep(
    captions_on, owner, spoken_clip, settings
):
    settings.MEDIA_PIPELINE_STUCK_AFTER_SECONDS = 600
    _, job = ready_with_job(owner, spoken_clip[0])
    assert auto_captions.claim_abandoned_jobs() == []  # just queued: its message is on its way
    CaptionJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert [s.job_id for s in auto_captions.claim_abandoned_jobs()] == [job.pk]
    # Claiming touched it: the next sweep waits another stuck_after_seconds.
    assert auto_captions.claim_abandoned_jobs() == []


# Asking for captions (the admin's button).


def test_request_captions_starts_a_finished_job_again_and_refuses_while_one_runs(
    captions_on, owner, spoken_clip
):
    recording, job = ready_with_job(owner, spoken_clip[0])
    CaptionJob.objects.filter(pk=job.pk).update(
        status=CaptionJobStatus.EMPTY, note=NO_SPEECH, progress=100, attempts=2
    )
    again = auto_captions.request_captions(recording=recording, language="en")
    assert again.pk == job.pk
    assert (again.status, again.note, again.progress, again.attempts) == ("queued", "", 0, 0)

    CaptionJob.objects.filter(pk=job.pk).update(status=CaptionJobStatus.RUNNING, progress=35)
    with pytest.raises(ActionRefused, match="35% done"):
        auto_captions.request_captions(recording=recording, language="en")

    add_caption(recording=recording, language="en", label="English", data=CAPTIONS)
    with pytest.raises(ActionRefused, match="English captions are uploaded"):
        auto_captions.request_captions(recording=recording, language="en")

    with pytest.raises(ActionRefused, match="does not understand that language \\(French\\)"):
        auto_captions.request_captions(recording=recording, language="fr")
    assert not recording.caption_jobs.filter(language="fr").exists()

    captions_on.MEDIA_PIPELINE_CAPTION_ENGINE = ""
    with pytest.raises(ActionRefused, match="turned off"):
        auto_captions.request_captions(recording=recording, language="en")


# A real worker process.


@pytest.fixture
def caption_worker(transactional_db, monkeypatch):
    monkeypatch.setenv("MEDIA_PIPELINE_CAPTION_ENGINE", "pocketsphinx")
    purge_queues()
    worker = WorkerProcess(name="captions")
    yield worker
    worker.stop()


def _remove_files(*recordings):
    private_root = Path(django_settings.STORAGES["media_pipeline"]["OPTIONS"]["location"])
    for recording in recordings:
        shutil.rmtree(private_root / recording.storage_prefix, ignore_errors=True)


@pytest.mark.worker
def test_worker_captions_speech_while_the_recording_stays_playable(
    caption_worker, spoken_clip, tmp_path
):
    clip, spoken = spoken_clip
    caption_worker.start().wait_ready()
    recording = upload(OrganizationFactory(), clip)
    try:
        seen = []

        def captioned():
            current = Recording.objects.get(pk=recording.pk)
            job = CaptionJob.objects.filter(recording=recording).first()
            if job is not None:
                seen.append((current.status, current.is_playable, job.status, job.progress))
            return job if job and job.status not in auto_captions.ACTIVE else None

        job = wait_for(captioned, timeout=240, what="the worker captions the recording")
        assert job.status == CaptionJobStatus.DONE, job.note
        # From the moment the job existed until it ended, viewers could play the recording.
        assert seen and all(s[:2] == (RecordingStatus.READY, True) for s in seen), seen
        recording.refresh_from_db()
        assert recording.status == RecordingStatus.READY and recording.is_playable
        ladder = recording.transcode_attempts.get(status=AttemptStatus.SUCCEEDED)
        assert ladder.kind == AttemptKind.LADDER and job.created_at >= ladder.finished_at

        caption = recording.captions.get()
        assert caption.state == CaptionState.AUTOMATIC
        assert_timed_to_the_speech(cues_of(caption), spoken)
    finally:
        caption_worker.stop()
        _remove_files(recording)


@pytest.mark.worker
def test_a_starting_worker_takes_over_a_dead_workers_job_and_continues(caption_worker, spoken_clip):
    """The worker that held the job died after the first sentence (its lease ran out and
    its message is gone). The next worker to start finds the job itself and continues from
    the saved point, keeping the saved words."""
    clip, spoken = spoken_clip
    recording = published_recording(OrganizationFactory(), clip, captions=False)
    first = spoken[0]
    saved = [[first.start, round(first.end, 3), "previously-saved"]]
    job = CaptionJob.objects.create(
        recording=recording,
        engine="pocketsphinx",
        status=CaptionJobStatus.RUNNING,
        processed_seconds=round(first.end + 0.75, 3),
        words=saved,
        progress=30,
        lease_token="worker-that-died",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    try:
        caption_worker.start().wait_ready()
        wait_for(
            lambda: CaptionJob.objects.filter(
                pk=job.pk, status__in=auto_captions.FINISHED
            ).exists(),
            timeout=180,
            what="the starting worker finishes the dead worker's job",
        )
        job.refresh_from_db()
        assert (job.status, job.attempts, job.lease_token) == (CaptionJobStatus.DONE, 1, "")
        assert job.words[0] == saved[0] and len(job.words) > 1
        cues = cues_of(recording.captions.get())
        assert cues[0].text.startswith("previously-saved")
        assert_timed_to_the_speech(cues, spoken)
        assert Recording.objects.get(pk=recording.pk).status == RecordingStatus.READY
    finally:
        caption_worker.stop()
        _remove_files(recording)


@pytest.mark.worker
def test_worker_ends_silence_and_noise_empty_with_a_note(caption_worker, tmp_path):
    owner = OrganizationFactory()
    caption_worker.start().wait_ready()
    recordings = [
        upload(owner, video_with_sound(tmp_path / f"{name}.mp4", make(tmp_path / f"{name}.wav", 6)))
        for name, make in (("silence", silence), ("noise", noise))
    ]
    try:
        for recording in recordings:
            job = wait_for(
                lambda r=recording: CaptionJob.objects.filter(
                    recording=r, status__in=auto_captions.FINISHED
                ).first(),
                timeout=180,
                what=f"the worker finishes captioning {recording}",
            )
            assert (job.status, job.note) == (CaptionJobStatus.EMPTY, NO_SPEECH)
            assert not Caption.objects.filter(recording=recording).exists()
            assert Recording.objects.get(pk=recording.pk).status == RecordingStatus.READY
    finally:
        caption_worker.stop()
        _remove_files(*recordings)


# A missing engine model: a clear error at start-up.


def _missing_model_environment() -> dict:
    return worker_environment(
        MEDIA_PIPELINE_CAPTION_ENGINE="pocketsphinx",
        MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS=json.dumps({"hmm": MISSING_MODEL}),
    )


def test_manage_py_check_names_the_missing_model_file(db):
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_missing_model_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output
    assert "media_pipeline.E001" in output and MISSING_MODEL in output, output


def test_check_names_a_caption_language_the_model_does_not_hear(settings):
    settings.MEDIA_PIPELINE_CAPTION_ENGINE = "pocketsphinx"
    settings.MEDIA_PIPELINE_CAPTION_LANGUAGE = "es"
    (error,) = speech_engine_check()
    assert error.id == "media_pipeline.E001"
    assert "MEDIA_PIPELINE_CAPTION_LANGUAGE is 'es'" in error.msg and "hears en" in error.msg

    settings.MEDIA_PIPELINE_CAPTION_LANGUAGE = "en-US"
    assert speech_engine_check() == []
    settings.MEDIA_PIPELINE_CAPTION_ENGINE = ""
    settings.MEDIA_PIPELINE_CAPTION_LANGUAGE = "es"
    assert speech_engine_check() == [], "nothing to check when automatic captions are off"


@pytest.mark.worker
def test_worker_refuses_to_start_naming_the_missing_model_file(db, monkeypatch):
    for name, value in _missing_model_environment().items():
        if name.startswith("MEDIA_PIPELINE_CAPTION"):
            monkeypatch.setenv(name, value)
    worker = WorkerProcess(name="captions-misconfigured").start()
    try:
        returncode = worker.process.wait(timeout=120)
    finally:
        worker.stop()
    assert returncode != 0
    assert MISSING_MODEL in worker.log()
    assert "cannot start" in worker.log()

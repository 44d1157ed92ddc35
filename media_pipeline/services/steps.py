"""The steps a worker takes a recording through (probe, then transcode, then automatic
captions once the ladder is published): which step an unfinished recording waits for, what
a service hands its caller to queue, the scratch folder a step works in on this host, and
the error that asks for another try later."""

import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..conf import config
from ..models import Recording, RecordingStatus


class Step(StrEnum):
    PROBE = "probe"
    TRANSCODE = "transcode"
    CAPTIONS = "captions"


@dataclass(frozen=True)
class StepToQueue:
    """A step a service left a recording waiting for; the caller queues it once committed.
    A captions step names its :class:`~media_pipeline.models.CaptionJob` in ``job_id``."""

    recording_id: int
    step: Step
    countdown: float = 0
    job_id: int | None = None


def next_step(status: str) -> Step:
    """The step an unfinished recording in ``status`` waits for."""
    if status in (RecordingStatus.UPLOADED, RecordingStatus.PROBING):
        return Step.PROBE
    return Step.TRANSCODE


class TransientError(Exception):
    """Worth trying again later (storage or database hiccup, a killed process)."""

    def __init__(self, message: str, *, retry_in: float):
        super().__init__(message)
        self.retry_in = retry_in


def fresh_work_folder(recording: Recording, label: str) -> Path:
    """An empty scratch folder for one step on this host, named after the recording."""
    path = work_folder(recording, label)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def work_folder(recording: Recording, label: str) -> Path:
    return config().work_dir / f"{recording.key}-{label}"


def remove_work_folders(recording: Recording) -> None:
    """Every scratch folder of the recording on this host (a dead worker's included)."""
    for folder in config().work_dir.glob(f"{recording.key}-*"):
        shutil.rmtree(folder, ignore_errors=True)

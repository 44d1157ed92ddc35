"""Speech to text for automatic captions. Pure: no Django; the worker's captioning service
calls it with settings it read.

- :class:`Word` is what an engine hears: a word and when it is spoken, in seconds.
- :class:`Engine` is the one small interface every engine offers (``engines.py``: the
  default ``pocketsphinx``, whose wheel ships an English model; ``whispercpp`` and
  ``sherpa_onnx`` for operators who provide model files).
- :func:`load_engine` builds the engine a setting names and raises
  :class:`EngineConfigurationError` for a missing package or model file, so a worker (and
  ``manage.py check``) refuses to start rather than fail every job.
- ``cues.py`` turns words into caption cues (at most two lines of 42 characters, 1–7 s,
  timed to the speech) and writes WebVTT.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Engines read 16 kHz mono signed 16-bit little-endian PCM: ffmpeg extracts it once.
SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


class EngineConfigurationError(Exception):
    """The configured engine cannot run here (its package or a model file is missing)."""


class Engine(Protocol):
    name: str
    # Languages (BCP 47 primary tags) the configured model transcribes.
    languages: tuple[str, ...]

    def transcribe(
        self,
        pcm: Path,
        *,
        start: float = 0.0,
        on_progress: Callable[[float, list[Word]], None] | None = None,
    ) -> Iterable[Word]:
        """Words spoken in ``pcm`` (raw audio at :data:`SAMPLE_RATE`) from ``start`` seconds
        on, in order, with times from the beginning of the file. ``on_progress(seconds,
        words)`` is called every so often with the audio done so far and the words heard
        since the previous call, so a caller can save them and resume from ``seconds``."""
        ...

"""Speech with known words at known times, for the captioning tests and benchmark.

``espeak-ng`` (installed by ``make speech-deps`` and ``.ci/run``) says each sentence to its
own WAV; ffmpeg trims the silence espeak puts around the words and resamples to 16 kHz mono;
the sentences are then laid end to end with silent gaps of a known length, so each
:class:`Spoken` says exactly when its words begin and end in the file. Nothing is checked in.
"""

import subprocess
import tempfile
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 16_000
_SAMPLE_BYTES = 2
# Quieter than this (dBFS) counts as the silence espeak leaves before and after words.
_TRIM = "silenceremove=start_periods=1:start_threshold=-45dB:start_silence=0.02"


@dataclass(frozen=True)
class Spoken:
    """A sentence in a generated file: its text and when its words begin and end (s)."""

    text: str
    start: float
    end: float


def _run(args: Sequence[str]) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def _say(text: str, *, voice: str, speed: int, workdir: Path, index: int) -> bytes:
    """16 kHz mono s16le PCM of ``text`` with espeak's leading and trailing silence cut."""
    raw = workdir / f"say-{index}.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), "--", text],
        check=True,
        capture_output=True,
    )
    trimmed = workdir / f"say-{index}.pcm"
    _run(
        [
            "-i", str(raw),
            "-af", f"{_TRIM},areverse,{_TRIM},areverse",
            "-ar", str(RATE), "-ac", "1", "-f", "s16le", str(trimmed),
        ]
    )  # fmt: skip
    return trimmed.read_bytes()


def _silence_bytes(seconds: float) -> bytes:
    return b"\x00" * (round(seconds * RATE) * _SAMPLE_BYTES)


def _write_wav(path: Path, pcm: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(_SAMPLE_BYTES)
        out.setframerate(RATE)
        out.writeframes(pcm)


# pocketsphinx's English model hears this voice (American English, a female variant) far
# better than espeak-ng's default male one: most words of plain sentences come back right.
VOICE = "en-us+f2"


def speak(
    sentences: Iterable[str],
    path: Path,
    *,
    voice: str = VOICE,
    speed: int = 160,
    gap: float = 1.0,
    lead: float = 0.5,
    tail: float = 0.5,
) -> list[Spoken]:
    """Write ``sentences`` spoken by ``voice`` (an espeak-ng voice such as ``en-us``,
    ``en-gb-x-rp`` or ``en-us+f3``) at ``speed`` words a minute to ``path``, a 16 kHz mono
    WAV: ``lead`` seconds of silence, then each sentence with ``gap`` seconds of silence
    between them, then ``tail``. Returns where each sentence's words are in the file."""
    spoken: list[Spoken] = []
    chunks: list[bytes] = [_silence_bytes(lead)]
    samples = len(chunks[0]) // _SAMPLE_BYTES
    with tempfile.TemporaryDirectory(prefix="attune-speech-") as tmp:
        for index, text in enumerate(sentences):
            if index:
                pause = _silence_bytes(gap)
                chunks.append(pause)
                samples += len(pause) // _SAMPLE_BYTES
            said = _say(text, voice=voice, speed=speed, workdir=Path(tmp), index=index)
            begin = samples
            chunks.append(said)
            samples += len(said) // _SAMPLE_BYTES
            spoken.append(Spoken(text=text, start=begin / RATE, end=samples / RATE))
    chunks.append(_silence_bytes(tail))
    _write_wav(path, b"".join(chunks))
    return spoken


def to_pcm(source: Path, target: Path) -> Path:
    """Raw 16 kHz mono s16le PCM of any audio or video file, as the engines read it."""
    _run(["-i", str(source), "-vn", "-ar", str(RATE), "-ac", "1", "-f", "s16le", str(target)])
    return target


def speech_video(
    path: Path,
    sentences: Iterable[str],
    *,
    voice: str = VOICE,
    speed: int = 160,
    gap: float = 1.0,
    size: str = "320x180",
    rate: int = 15,
) -> list[Spoken]:
    """A small H.264/AAC MP4 (test pattern) whose audio speaks ``sentences``; returns where
    each sentence is spoken, as :func:`speak` does."""
    with tempfile.TemporaryDirectory(prefix="attune-speech-") as tmp:
        audio = Path(tmp) / "speech.wav"
        spoken = speak(sentences, audio, voice=voice, speed=speed, gap=gap)
        with wave.open(str(audio)) as w:
            seconds = w.getnframes() / w.getframerate()
        _run(
            [
                "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds:.3f}",
                "-i", str(audio),
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-ar", "48000", "-ac", "2", "-shortest",
                "-movflags", "+faststart", str(path),
            ]
        )  # fmt: skip
    return spoken


def silence(path: Path, seconds: float) -> Path:
    """``seconds`` of digital silence; a ``.pcm`` path gets raw PCM, anything else a file of
    that container (e.g. ``.wav``)."""
    return _lavfi(path, f"anullsrc=channel_layout=mono:sample_rate={RATE}", seconds)


def noise(path: Path, seconds: float, *, amplitude: float = 0.3, color: str = "pink") -> Path:
    """``seconds`` of random noise (no words), same output rules as :func:`silence`."""
    return _lavfi(
        path,
        f"anoisesrc=color={color}:amplitude={amplitude}:sample_rate={RATE}:seed=23",
        seconds,
    )


def _lavfi(path: Path, source: str, seconds: float) -> Path:
    fmt = ["-f", "s16le"] if path.suffix == ".pcm" else []
    _run(
        [
            "-f", "lavfi", "-i", source, "-t", f"{seconds:.3f}",
            "-ar", str(RATE), "-ac", "1", *fmt, str(path),
        ]
    )  # fmt: skip
    return path

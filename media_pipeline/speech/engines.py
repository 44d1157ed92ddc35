"""The speech engines automatic captions can use, chosen by name with a dict of options.

- ``pocketsphinx`` (the default): the wheel ships an English acoustic model, language model
  and dictionary, so it works with no options. Options ``hmm`` (acoustic model folder),
  ``lm`` (language model file) and ``dict`` (pronunciation dictionary) point to other files.
- ``whispercpp``: needs the ``pywhispercpp`` package and a ggml model file, option
  ``model``; ``language`` (default ``en``) and ``threads`` are optional.
- ``sherpa_onnx``: needs the ``sherpa-onnx`` package and model files: ``tokens`` with
  ``encoder``, ``decoder`` and ``joiner`` (a transducer), or with ``encoder`` and
  ``decoder`` and ``kind: "whisper"``; ``threads`` is optional.

Every engine accepts ``languages`` (a list of BCP 47 tags the model transcribes; English by
default). :func:`check` lists what is wrong with a configuration without loading a model;
:func:`load_engine` raises :class:`EngineConfigurationError` with those messages.

All engines hear the audio through the same voice activity segmenter (pocketsphinx's
endpointer): speech is cut at pauses into regions that are decoded whole, with absolute
times, a few seconds of audio at a time; progress is reported after each few seconds with a
point from which the work can resume without losing or repeating a word.
"""

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import SAMPLE_RATE, EngineConfigurationError, Word

ENGINES = ("pocketsphinx", "whispercpp", "sherpa_onnx")
DEFAULT_ENGINE = "pocketsphinx"
SETTING = "MEDIA_PIPELINE_CAPTION_ENGINE"
OPTIONS_SETTING = "MEDIA_PIPELINE_CAPTION_ENGINE_OPTIONS"

_SAMPLE_BYTES = 2
# Audio read (and progress reported) this many seconds at a time.
CHUNK_SECONDS = 5.0
# A region of speech longer than this (no pause) is cut, so memory and the resume point
# stay bounded.
MAX_REGION_SECONDS = 25.0
# On resume the segmenter needs a moment of audio before speech to find its start (a
# whole number of its 30 ms frames, so a resumed job cuts regions where an unbroken one did).
_RESUME_PREROLL = 0.3

Progress = Callable[[float, list[Word]], None]


def _problem(name: str, text: str) -> str:
    return f"{SETTING} is {name!r} but {text}"


# --- configuration ------------------------------------------------------------------------

_COMMON_OPTIONS = {"languages"}
_OPTIONS = {
    "pocketsphinx": {"hmm", "lm", "dict"},
    "whispercpp": {"model", "language", "threads"},
    "sherpa_onnx": {"kind", "encoder", "decoder", "joiner", "tokens", "threads"},
}
_PACKAGES = {
    "whispercpp": ("pywhispercpp", "pywhispercpp"),
    "sherpa_onnx": ("sherpa_onnx", "sherpa-onnx"),
}


def check(name: str, options: dict | None = None) -> list[str]:
    """What stops engine ``name`` with ``options`` from running here (empty when nothing):
    an unknown engine or option, a missing package, a model file that does not exist. Loads
    no model, so a system check or a worker's start can call it cheaply."""
    options = dict(options or {})
    if name not in ENGINES:
        return [
            f"{SETTING} is {name!r}, which is not a speech engine Attune knows; "
            f"use one of {', '.join(ENGINES)} (default {DEFAULT_ENGINE!r})."
        ]
    problems = []
    unknown = sorted(set(options) - _OPTIONS[name] - _COMMON_OPTIONS)
    if unknown:
        allowed = ", ".join(sorted(_OPTIONS[name] | _COMMON_OPTIONS))
        problems.append(
            _problem(name, f"{OPTIONS_SETTING} has unknown option(s) {', '.join(unknown)}; ")
            + f"this engine takes {allowed}."
        )
    languages = options.get("languages", ("en",))
    if isinstance(languages, str) or not all(isinstance(x, str) and x for x in languages):
        problems.append(
            _problem(name, f"{OPTIONS_SETTING}['languages'] is {languages!r}; ")
            + "give a list of language tags such as ['en']."
        )
    if name in _PACKAGES:
        module, dist = _PACKAGES[name]
        if importlib.util.find_spec(module) is None:
            problems.append(
                _problem(name, f"the {dist} package is not installed; ")
                + f"install it (pip install {dist}) or set {SETTING} to {DEFAULT_ENGINE!r}."
            )
    problems += _FILE_CHECKS[name](name, options)
    return problems


def _missing_file(name: str, key: str, path, hint: str, *, folder: bool = False) -> str | None:
    if not path:
        return _problem(name, f"{OPTIONS_SETTING} has no {key!r}; ") + hint
    p = Path(path)
    ok = p.is_dir() if folder else p.is_file()
    if not ok:
        kind = "folder" if folder else "file"
        return _problem(name, f"the {key} {kind} {p} does not exist; ") + hint
    return None


def _pocketsphinx_files(name: str, options: dict) -> list[str]:
    hint = (
        f"fix the path in {OPTIONS_SETTING}['{{key}}'] or remove it to use the English "
        "model the pocketsphinx package ships."
    )
    found = []
    for key, folder in (("hmm", True), ("lm", False), ("dict", False)):
        if key in options:
            found.append(
                _missing_file(name, key, options[key], hint.format(key=key), folder=folder)
            )
    return [p for p in found if p]


def _whispercpp_files(name: str, options: dict) -> list[str]:
    hint = (
        "download a ggml model (for example ggml-base.en.bin from the whisper.cpp model "
        f"list) and set {OPTIONS_SETTING}['model'] to its path, or set {SETTING} to "
        f"{DEFAULT_ENGINE!r}."
    )
    problem = _missing_file(name, "model", options.get("model"), hint)
    return [problem] if problem else []


def _sherpa_keys(options: dict) -> tuple[str, ...]:
    if options.get("kind", "transducer") == "whisper":
        return ("encoder", "decoder", "tokens")
    return ("encoder", "decoder", "joiner", "tokens")


def _sherpa_files(name: str, options: dict) -> list[str]:
    kind = options.get("kind", "transducer")
    if kind not in ("transducer", "whisper"):
        return [
            _problem(name, f"{OPTIONS_SETTING}['kind'] is {kind!r}; ")
            + "use 'transducer' (encoder, decoder, joiner, tokens) or 'whisper' "
            "(encoder, decoder, tokens)."
        ]
    hint = (
        "download a sherpa-onnx English model and set {OPTIONS_SETTING}['{key}'] to the path "
        f"of its {{key}} file, or set {SETTING} to {DEFAULT_ENGINE!r}."
    )
    found = [
        _missing_file(
            name, key, options.get(key), hint.format(OPTIONS_SETTING=OPTIONS_SETTING, key=key)
        )
        for key in _sherpa_keys(options)
    ]
    return [p for p in found if p]


_FILE_CHECKS = {
    "pocketsphinx": _pocketsphinx_files,
    "whispercpp": _whispercpp_files,
    "sherpa_onnx": _sherpa_files,
}


def load_engine(name: str = DEFAULT_ENGINE, options: dict | None = None):
    """The engine ``name`` configured with ``options``, ready to transcribe; raises
    :class:`EngineConfigurationError` (every problem :func:`check` finds, one a line)."""
    options = dict(options or {})
    problems = check(name, options)
    if problems:
        raise EngineConfigurationError("\n".join(problems))
    languages = tuple(options.pop("languages", ("en",)))
    try:
        return _LOADERS[name](options, languages)
    except EngineConfigurationError:
        raise
    except Exception as error:  # the package's own error for a file it cannot read
        raise EngineConfigurationError(
            _problem(name, f"its model could not be loaded ({error}); ")
            + f"check the files in {OPTIONS_SETTING} or set {SETTING} to {DEFAULT_ENGINE!r}."
        ) from error


# --- hearing speech -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Region:
    start: float  # seconds from the beginning of the file
    pcm: bytes


@dataclass(frozen=True)
class _Mark:
    seconds: float  # everything before this is heard; resume here


def _regions(pcm: Path, start: float) -> Iterator[_Region | _Mark]:
    """Speech regions of ``pcm`` from ``start`` on, with a :class:`_Mark` after every
    :data:`CHUNK_SECONDS` of audio giving the point to resume from."""
    from pocketsphinx import Endpointer

    endpointer = Endpointer(sample_rate=SAMPLE_RATE)
    frame_bytes = endpointer.frame_bytes
    frame_seconds = endpointer.frame_length
    chunk_bytes = max(1, round(CHUNK_SECONDS / frame_seconds)) * frame_bytes
    total = pcm.stat().st_size // _SAMPLE_BYTES
    first = min(total, max(0, round(start * SAMPLE_RATE)))
    offset = first / SAMPLE_RATE
    fed = first  # samples fed to the segmenter so far
    position = offset  # the same in seconds
    last_end = offset  # end of the last region handed out
    region_start: float | None = None
    buffer: list[bytes] = []
    tail = b""

    def close(end_at: float) -> _Region:
        nonlocal region_start, buffer, last_end
        region = _Region(start=region_start, pcm=b"".join(buffer))
        region_start, buffer, last_end = None, [], end_at
        return region

    with pcm.open("rb") as audio:
        audio.seek(first * _SAMPLE_BYTES)
        while chunk := audio.read(chunk_bytes):
            for i in range(0, len(chunk), frame_bytes):
                frame = chunk[i : i + frame_bytes]
                fed += len(frame) // _SAMPLE_BYTES
                position = fed / SAMPLE_RATE
                if len(frame) < frame_bytes:
                    tail = frame
                    break
                was_in_speech = endpointer.in_speech
                speech = endpointer.process(frame)
                if speech is None:
                    continue
                if not was_in_speech or region_start is None:
                    region_start = max(offset, offset + endpointer.speech_start)
                buffer.append(speech)
                if not endpointer.in_speech:
                    yield close(offset + endpointer.speech_end)
                elif position - region_start >= MAX_REGION_SECONDS:
                    # No pause for a long time: cut here; the segmenter goes on.
                    cut = position
                    yield close(cut)
                    region_start = cut
            if position <= start:
                continue
            if region_start is None:
                yield _Mark(seconds=max(position, start))
            else:
                yield _Mark(seconds=max(last_end, region_start - _RESUME_PREROLL, start))
    if endpointer.in_speech:  # the segmenter still holds the end of the last words
        # It takes a last (short) frame of whole samples; give it silence if there is none.
        tail = tail[: len(tail) - len(tail) % _SAMPLE_BYTES] or bytes(frame_bytes)
        speech = endpointer.end_stream(tail)
        if speech:
            if region_start is None:
                region_start = max(offset, offset + endpointer.speech_start)
            buffer.append(speech)
    if region_start is not None and buffer:
        yield close(position)
    yield _Mark(seconds=max(position, start))


class _RegionEngine:
    """An engine that decodes each speech region whole: subclasses give :meth:`_decode`."""

    name = ""
    languages: tuple[str, ...] = ("en",)

    def _decode(self, region: _Region) -> list[Word]:
        raise NotImplementedError

    def transcribe(self, pcm: Path, *, start: float = 0.0, on_progress: Progress | None = None):
        words: list[Word] = []
        pending: list[Word] = []
        for item in _regions(Path(pcm), start):
            if isinstance(item, _Region):
                heard = [w for w in self._decode(item) if w.start >= start]
                words += heard
                pending += heard
            elif on_progress is not None:
                on_progress(item.seconds, pending)
                pending = []
        return words


_FILLER = re.compile(r"^(<.*>|\[.*\]|\+\+?.*\+\+?)$")
_ALTERNATE = re.compile(r"\(\d+\)$")


class PocketsphinxEngine(_RegionEngine):
    name = "pocketsphinx"

    def __init__(self, options: dict, languages: tuple[str, ...]):
        from pocketsphinx import Decoder

        self.languages = languages
        self._decoder = Decoder(loglevel="FATAL", **options)
        self._frame_rate = int(self._decoder.get_config()["frate"])

    def _decode(self, region: _Region) -> list[Word]:
        decoder = self._decoder
        # Each region is heard afresh (the features' normalisation otherwise carries over
        # from the previous one), so a job resumed at a mark hears what an unbroken one did.
        decoder.reinit_feat()
        decoder.start_utt()
        decoder.process_raw(region.pcm, full_utt=True)
        decoder.end_utt()
        words = []
        for segment in decoder.seg():
            text = _ALTERNATE.sub("", segment.word)
            if not text or _FILLER.match(text):
                continue
            words.append(
                Word(
                    start=round(region.start + segment.start_frame / self._frame_rate, 3),
                    end=round(region.start + (segment.end_frame + 1) / self._frame_rate, 3),
                    text=text,
                )
            )
        return words


def _samples(region: _Region):
    import numpy

    return numpy.frombuffer(region.pcm, dtype="<i2").astype(numpy.float32) / 32768.0


def _spread(text: str, start: float, end: float) -> list[Word]:
    """Words of ``text`` spread over ``start``–``end`` by their length (for engines that
    time whole phrases only)."""
    parts = text.split()
    if not parts:
        return []
    total = sum(len(p) + 1 for p in parts)
    words, at = [], start
    for part in parts:
        length = (end - start) * (len(part) + 1) / total
        words.append(Word(start=round(at, 3), end=round(at + length, 3), text=part))
        at += length
    return words


class WhisperCppEngine(_RegionEngine):
    name = "whispercpp"

    def __init__(self, options: dict, languages: tuple[str, ...]):
        model = importlib.import_module("pywhispercpp.model")
        self.languages = languages
        self._language = options.get("language", languages[0] if languages else "en")
        kwargs = {"print_progress": False, "print_realtime": False}
        if "threads" in options:
            kwargs["n_threads"] = int(options["threads"])
        self._model = model.Model(str(options["model"]), **kwargs)

    def _decode(self, region: _Region) -> list[Word]:
        segments = self._model.transcribe(
            _samples(region),
            language=self._language,
            token_timestamps=True,
            max_len=1,
            split_on_word=True,
        )
        words = []
        for segment in segments:  # times in hundredths of a second from the region start
            words += _spread(
                segment.text,
                region.start + segment.t0 / 100,
                region.start + max(segment.t1, segment.t0) / 100,
            )
        return words


class SherpaOnnxEngine(_RegionEngine):
    name = "sherpa_onnx"

    def __init__(self, options: dict, languages: tuple[str, ...]):
        sherpa_onnx = importlib.import_module("sherpa_onnx")
        self.languages = languages
        threads = int(options.get("threads", 1))
        files = {key: str(options[key]) for key in _sherpa_keys(options)}
        if options.get("kind", "transducer") == "whisper":
            self._recognizer = sherpa_onnx.OfflineRecognizer.from_whisper(
                num_threads=threads, language=languages[0] if languages else "en", **files
            )
        else:
            self._recognizer = sherpa_onnx.OfflineRecognizer.from_transducer(
                num_threads=threads, **files
            )

    def _decode(self, region: _Region) -> list[Word]:
        stream = self._recognizer.create_stream()
        stream.accept_waveform(SAMPLE_RATE, _samples(region))
        self._recognizer.decode_stream(stream)
        result = stream.result
        tokens = list(getattr(result, "tokens", []) or [])
        times = list(getattr(result, "timestamps", []) or [])
        region_end = region.start + len(region.pcm) / (_SAMPLE_BYTES * SAMPLE_RATE)
        if not tokens or len(times) != len(tokens):
            return _spread(result.text, region.start, region_end)
        # Tokens that begin with a space (or SentencePiece's ▁) begin a word.
        words: list[list] = []
        for token, at in zip(tokens, times, strict=True):
            if not words or token.startswith((" ", "\u2581")):
                words.append([region.start + at, token.lstrip(" \u2581")])
            else:
                words[-1][1] += token
        heard = []
        for index, (at, text) in enumerate(words):
            end = words[index + 1][0] if index + 1 < len(words) else region_end
            if text:
                heard.append(Word(start=round(at, 3), end=round(end, 3), text=text))
        return heard


_LOADERS = {
    "pocketsphinx": PocketsphinxEngine,
    "whispercpp": WhisperCppEngine,
    "sherpa_onnx": SherpaOnnxEngine,
}

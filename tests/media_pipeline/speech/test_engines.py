"""The speech engines on generated speech (espeak-ng), silence and noise, and their
configuration errors. pocketsphinx on a synthetic voice is imperfect, so what is asserted
is robust: words in order, timed to where each sentence is spoken, most key words heard."""

import re
import wave
from pathlib import Path

import pytest

from media_pipeline.speech import EngineConfigurationError, Word
from media_pipeline.speech.cues import build_cues
from media_pipeline.speech.engines import check, load_engine

from ..speech_media import noise, silence, speak, to_pcm

SENTENCES = [
    "Parents notice when the baby is hungry or tired.",
    "We talk about feelings with young children every day.",
    "A caregiver responds to the child with warmth.",
    "Please read the next chapter before our meeting on Tuesday.",
]
KEY_WORDS = [
    {"parents", "notice", "baby", "hungry", "tired"},
    {"talk", "feelings", "young", "children", "every", "day"},
    {"caregiver", "responds", "child", "warmth"},
    {"please", "read", "next", "chapter", "meeting", "tuesday"},
]


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


@pytest.fixture(scope="module")
def engine():
    return load_engine("pocketsphinx", {})


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    spoken = speak(SENTENCES, folder / "speech.wav", gap=1.2)
    pcm = to_pcm(folder / "speech.wav", folder / "speech.pcm")
    with wave.open(str(folder / "speech.wav")) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    return pcm, spoken, seconds


@pytest.fixture(scope="module")
def heard(engine, speech):
    pcm, _, _ = speech
    progress = []
    words = list(engine.transcribe(pcm, on_progress=lambda s, w: progress.append((s, w))))
    return words, progress


def test_the_words_come_back_in_order_where_each_sentence_is_spoken(speech, heard):
    _, spoken, _ = speech
    words, _ = heard
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(w.end >= w.start for w in words)
    recognised = 0
    for sentence, keys in zip(spoken, KEY_WORDS, strict=True):
        inside = [w for w in words if sentence.start - 1.0 <= w.start <= sentence.end + 1.0]
        assert inside, f"nothing heard of {sentence.text!r}"
        recognised += len(keys & {w.text.lower() for w in inside})
    # Measured: 17 of the 21 key words with en-us+f2 at 160 words a minute.
    assert recognised >= 11, words


def test_cues_start_and_end_within_a_second_of_each_sentence(speech, heard):
    _, spoken, _ = speech
    words, _ = heard
    cues = build_cues(words)
    for sentence in spoken:
        during = [c for c in cues if c.start < sentence.end and c.end > sentence.start]
        assert during, f"no cue while {sentence.text!r} is spoken"
        assert abs(during[0].start - sentence.start) <= 1.0, (sentence, during)
        assert abs(during[-1].end - sentence.end) <= 1.0, (sentence, during)
        # Cues follow pauses: no cue runs over into the next sentence.
        for cue in during:
            assert cue.start >= sentence.start - 1.0 and cue.end <= sentence.end + 1.0


def test_progress_is_reported_as_it_goes_with_every_word_once(speech, heard):
    _, _, seconds = speech
    words, progress = heard
    marks = [s for s, _ in progress]
    assert len(marks) >= 3
    assert marks == sorted(marks)
    assert marks[-1] == pytest.approx(seconds, abs=0.05)
    assert [w for _, batch in progress for w in batch] == words


def test_resuming_from_a_progress_mark_hears_the_same_later_words(engine, speech, heard):
    pcm, spoken, _ = speech
    words, progress = heard
    mark = next(s for s, _ in progress if s > spoken[1].start)
    assert mark < spoken[2].start
    later = [w for w in words if w.start >= mark]
    assert later
    resumed = list(engine.transcribe(pcm, start=mark))
    assert [w.text for w in resumed] == [w.text for w in later]
    for again, first in zip(resumed, later, strict=True):
        assert again.start == pytest.approx(first.start, abs=0.05)
    # Nothing before the mark is heard again.
    assert all(w.start >= mark for w in resumed)


def test_resuming_at_or_past_the_end_hears_nothing(engine, speech):
    pcm, _, seconds = speech
    progress = []
    assert (
        list(engine.transcribe(pcm, start=seconds + 5, on_progress=lambda *a: progress.append(a)))
        == []
    )
    assert progress and progress[-1][1] == []


def test_silence_and_noise_give_no_words(engine, tmp_path):
    quiet = list(engine.transcribe(silence(tmp_path / "silence.pcm", 6)))
    assert quiet == []
    hiss = list(engine.transcribe(noise(tmp_path / "noise.pcm", 6)))
    assert len(hiss) <= 2, hiss
    loud = list(engine.transcribe(noise(tmp_path / "loud.pcm", 3, amplitude=1.0, color="white")))
    assert len(loud) <= 3, loud
    empty = tmp_path / "empty.pcm"
    empty.write_bytes(b"")
    assert list(engine.transcribe(empty)) == []
    odd = tmp_path / "odd.pcm"
    odd.write_bytes(b"\x01" * 1001)  # not a whole number of samples
    assert list(engine.transcribe(odd)) == []


def test_the_default_engine_is_ready_here():
    assert check("pocketsphinx", {}) == []
    engine = load_engine("pocketsphinx", {"languages": ["en"]})
    assert engine.name == "pocketsphinx" and engine.languages == ("en",)


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("kaldi", {}, ["'kaldi', which is not a speech engine", "pocketsphinx, whispercpp"]),
        ("pocketsphinx", {"hmm": "/nowhere/en-us"}, ["hmm folder /nowhere/en-us does not exist"]),
        (
            "pocketsphinx",
            {"lm": "/nowhere/en.lm.bin"},
            ["lm file /nowhere/en.lm.bin does not exist"],
        ),
        ("pocketsphinx", {"dict": "/nowhere/x.dict"}, ["remove it to use the English model"]),
        ("pocketsphinx", {"modle": "x"}, ["unknown option(s) modle", "takes dict, hmm"]),
        ("pocketsphinx", {"languages": "en"}, ["['languages'] is 'en'"]),
        ("whispercpp", {}, ["has no 'model'", "download a ggml model"]),
        (
            "whispercpp",
            {"model": "/models/ggml-base.en.bin"},
            ["the model file /models/ggml-base.en.bin does not exist", "ggml-base.en.bin"],
        ),
        (
            "sherpa_onnx",
            {"tokens": "/m/tokens.txt", "encoder": "/m/e.onnx", "decoder": "/m/d.onnx"},
            ["has no 'joiner'", "tokens file /m/tokens.txt does not exist"],
        ),
        ("sherpa_onnx", {"kind": "ctc"}, ["['kind'] is 'ctc'"]),
    ],
)
def test_configuration_errors_say_what_to_fix(name, options, expected):
    problems = check(name, options)
    assert problems
    text = "\n".join(problems)
    for part in expected:
        assert part in text, text
    with pytest.raises(EngineConfigurationError) as raised:
        load_engine(name, options)
    assert str(raised.value) == text
    assert "MEDIA_PIPELINE_CAPTION_ENGINE" in text


@pytest.mark.parametrize(
    ("name", "package"), [("whispercpp", "pywhispercpp"), ("sherpa_onnx", "sherpa-onnx")]
)
def test_an_engine_whose_package_is_missing_says_how_to_install_it(name, package, tmp_path):
    pytest.importorskip("pocketsphinx")
    from importlib.util import find_spec

    if find_spec(package.replace("-", "_")) is not None:
        pytest.skip(f"{package} is installed here")
    model = tmp_path / "model.bin"
    model.write_bytes(b"not a model")
    options = (
        {"model": str(model)}
        if name == "whispercpp"
        else {key: str(model) for key in ("encoder", "decoder", "joiner", "tokens")}
    )
    problems = check(name, options)
    assert problems == [
        f"MEDIA_PIPELINE_CAPTION_ENGINE is {name!r} but the {package} package is not "
        f"installed; install it (pip install {package}) or set MEDIA_PIPELINE_CAPTION_ENGINE "
        "to 'pocketsphinx'."
    ]


def test_a_word_is_a_small_value():
    assert Word(1.0, 1.5, "baby") == Word(1.0, 1.5, "baby")
    assert isinstance(Path(__file__), Path)

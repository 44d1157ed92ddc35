"""Caption cues from timed words: readable lines, timed to the speech, valid WebVTT."""

from itertools import pairwise

import pytest

from media_pipeline.captions import parse_captions
from media_pipeline.speech import Word
from media_pipeline.speech.cues import (
    MAX_LINE,
    MAX_SECONDS,
    MIN_SECONDS,
    Cue,
    build_cues,
    to_webvtt,
)

_PARAGRAPH = (
    "when a baby cries the caregiver notices and responds with a calm voice and gentle "
    "touch so the infant learns that people come when needed and that big feelings can be "
    "shared and soothed in a safe relationship over many days and nights together"
)
PARAGRAPH = _PARAGRAPH.split()


def steady(texts, *, start=0.0, step=0.35, length=0.3):
    """Words spoken at a steady pace, with no pauses."""
    return [Word(start + i * step, start + i * step + length, t) for i, t in enumerate(texts)]


def assert_readable(cues, words):
    assert cues
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        for line in cue.lines:
            assert len(line) <= MAX_LINE or " " not in line, line
        assert cue.end > cue.start
        assert cue.end - cue.start <= MAX_SECONDS + 1e-9
    for before, after in pairwise(cues):
        assert before.end <= after.start
    # Every word is shown once, in order.
    shown = " ".join(cue.text for cue in cues).split()
    assert shown == [w.text for w in words]


def test_no_words_no_cues():
    assert build_cues([]) == []
    assert build_cues([Word(1, 2, "  ")]) == []


def test_a_paragraph_makes_cues_of_two_balanced_lines_of_at_most_42_characters():
    words = steady(PARAGRAPH)
    cues = build_cues(words)
    assert_readable(cues, words)
    two_line = [cue for cue in cues if len(cue.lines) == 2]
    assert two_line, cues
    for cue in two_line:
        # Balanced: moving a word across the break would not make the lines more even.
        first, second = cue.lines
        assert abs(len(first) - len(second)) <= max(len(w) for w in cue.text.split()) + 1


def test_cues_are_timed_to_their_words_and_last_one_to_seven_seconds():
    words = steady(PARAGRAPH, start=2.0)
    cues = build_cues(words)
    by_text = iter(words)
    for cue in cues:
        spoken = [next(by_text) for _ in cue.text.split()]
        assert cue.start == pytest.approx(spoken[0].start)
        assert cue.end == pytest.approx(max(spoken[-1].end, cue.start + MIN_SECONDS))
        assert MIN_SECONDS <= cue.end - cue.start <= MAX_SECONDS


def test_slow_speech_is_cut_at_seven_seconds():
    words = steady(["slowly"] * 12, step=1.0, length=0.6)
    cues = build_cues(words)
    assert_readable(cues, words)
    assert len(cues) >= 2


def test_a_pause_starts_a_new_cue():
    words = steady(["we", "talk", "about", "feelings"]) + steady(
        ["every", "day"], start=1.4 + 0.3 + 0.7
    )
    cues = build_cues(words)
    assert [cue.text for cue in cues] == ["we talk about feelings", "every day"]


def test_a_short_pause_does_not():
    words = steady(["we", "talk", "about", "feelings"]) + steady(["every", "day"], start=1.9)
    assert [cue.text for cue in build_cues(words)] == ["we talk about feelings every day"]


def test_a_sentence_end_starts_a_new_cue():
    words = steady(["The", "baby", "sleeps.", "Her", "mother", "rests."])
    assert [cue.text for cue in build_cues(words)] == ["The baby sleeps.", "Her mother rests."]


def test_a_short_cue_is_stretched_to_one_second_without_overlapping_the_next():
    words = [Word(1.0, 1.2, "hi"), Word(1.4, 1.7, "there."), Word(2.6, 2.9, "Welcome")]
    assert build_cues(words) == [
        Cue(1.0, 2.0, ("hi there.",)),
        Cue(2.6, 3.6, ("Welcome",)),
    ]
    close = [Word(1.0, 1.2, "yes."), Word(1.5, 1.8, "no.")]
    first, second = build_cues(close)
    assert (first.start, first.end) == (1.0, 1.5)  # no room for a full second
    assert second.start == 1.5


def test_a_long_word_is_kept_whole_on_its_own_line():
    long = "pneumonoultramicroscopicsilicovolcanoconiosis-like"  # 50 characters
    words = steady(["a", "word", "like", long, "is", "rare"])
    cues = build_cues(words)
    assert_readable(cues, words)
    assert (long,) in [cue.lines for cue in cues]


def test_an_absurd_word_is_cut_into_line_long_pieces():
    absurd = "x" * 200
    cues = build_cues([Word(0.0, 3.0, absurd)])
    lines = [line for cue in cues for line in cue.lines]
    assert "".join(lines) == absurd
    assert all(len(line) <= MAX_LINE for line in lines)
    assert cues[0].start == 0.0 and cues[-1].end <= 3.0 + MIN_SECONDS


def test_overlapping_or_unordered_words_still_make_ordered_cues():
    words = [Word(3.0, 3.5, "c."), Word(1.0, 2.5, "a."), Word(2.0, 2.2, "b.")]
    cues = build_cues(words)
    assert [cue.text for cue in cues] == ["a.", "b.", "c."]
    for before, after in pairwise(cues):
        assert before.start < before.end <= after.start < after.end


def test_webvtt_is_accepted_by_the_caption_checker_and_escapes_markup():
    words = steady(PARAGRAPH) + steady(["fish", "&", "<chips>"], start=60)
    cues = build_cues(words)
    text = to_webvtt(cues)
    assert text.startswith("WEBVTT\n")
    checked = parse_captions(text.encode())
    assert checked.cue_count == len(cues)
    assert "fish &amp; &lt;chips&gt;" in text
    assert "00:01:00.000 --> 00:01:01.000" in text


def test_hours_are_written_for_long_recordings():
    text = to_webvtt([Cue(3725.5, 3727.25, ("late",))])
    assert "01:02:05.500 --> 01:02:07.250" in text
    assert parse_captions(text.encode()).cue_count == 1

"""Caption cues from timed words, and WebVTT from cues. Pure: no Django.

The rules follow common captioning guidance so captions are easy to read:

- at most :data:`MAX_LINES` lines of at most :data:`MAX_LINE` characters, broken between
  words, the two lines as even as they can be;
- a cue starts when its first word is spoken and ends when its last word ends, shown for at
  least :data:`MIN_SECONDS` when the next cue leaves room, and never longer than
  :data:`MAX_SECONDS`; cues never overlap;
- a new cue begins after a pause of :data:`PAUSE_SECONDS` or more and after a word ending a
  sentence (engines that punctuate);
- a word longer than a line is kept whole on a line of its own; only an absurd one (longer
  than two lines) is cut into line-long pieces.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import webvtt

from ..captions import webvtt_timestamp
from . import Word

MAX_LINE = 42
MAX_LINES = 2
MIN_SECONDS = 1.0
MAX_SECONDS = 7.0
PAUSE_SECONDS = 0.7

_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class _Token:
    start: int  # milliseconds
    end: int
    text: str


def _tokens(words: Iterable[Word]) -> list[_Token]:
    """Words cleaned up: no blanks, times in whole milliseconds, in order, absurdly long
    words cut into line-long pieces sharing the word's time."""
    tokens = []
    for word in sorted(words, key=lambda w: (w.start, w.end)):
        text = " ".join(str(word.text).split())
        if not text:
            continue
        start = max(0, round(word.start * 1000))
        end = max(start, round(word.end * 1000))
        for part in text.split(" "):
            if len(part) <= MAX_LINE * MAX_LINES:
                tokens.append(_Token(start, end, part))
                continue
            pieces = [part[i : i + MAX_LINE] for i in range(0, len(part), MAX_LINE)]
            step = (end - start) / len(pieces)
            for index, piece in enumerate(pieces):
                tokens.append(
                    _Token(start + round(index * step), start + round((index + 1) * step), piece)
                )
    return tokens


def _lines(texts: Sequence[str]) -> tuple[str, ...] | None:
    """``texts`` laid out on at most two balanced lines, or None when they do not fit."""
    one = " ".join(texts)
    if len(one) <= MAX_LINE:
        return (one,)
    if len(texts) == 1:
        return (one,) if len(one) <= MAX_LINE * MAX_LINES else None  # a long word, whole
    best = None
    for cut in range(1, len(texts)):
        first, second = " ".join(texts[:cut]), " ".join(texts[cut:])
        if len(first) > MAX_LINE or len(second) > MAX_LINE:
            continue
        # Most even first; on a tie the shorter line on top.
        key = (abs(len(first) - len(second)), len(first) > len(second))
        if best is None or key < best[0]:
            best = (key, (first, second))
    return best[1] if best else None


def _groups(tokens: list[_Token]) -> list[list[_Token]]:
    groups: list[list[_Token]] = []
    for token in tokens:
        group = groups[-1] if groups else None
        if group is not None:
            last = group[-1]
            breaks = (
                token.start - last.end >= PAUSE_SECONDS * 1000
                or _SENTENCE_END.search(last.text) is not None
                or token.end - group[0].start > MAX_SECONDS * 1000
                or len(token.text) > MAX_LINE
                or len(last.text) > MAX_LINE
                or _lines([t.text for t in group] + [token.text]) is None
            )
            if not breaks:
                group.append(token)
                continue
        groups.append([token])
    return groups


def build_cues(words: Iterable[Word]) -> list[Cue]:
    """Caption cues for ``words`` (see the module's rules); no words, no cues."""
    groups = _groups(_tokens(words))
    cues = []
    previous_end = 0
    for index, group in enumerate(groups):
        start = max(group[0].start, previous_end)
        end = max(group[-1].end, start + round(MIN_SECONDS * 1000))
        end = min(end, start + round(MAX_SECONDS * 1000))
        if index + 1 < len(groups):
            following = groups[index + 1][0].start
            end = min(end, following) if following > start else start + 1
        end = max(end, start + 1)
        previous_end = end
        lines = _lines([t.text for t in group]) or (" ".join(t.text for t in group),)
        cues.append(Cue(start=start / 1000, end=end / 1000, lines=lines))
    return cues


def _escape(line: str) -> str:
    # WebVTT cue text is markup: &, < and > are written as character references.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file of ``cues`` (just the header when there are none)."""
    document = webvtt.WebVTT()
    for cue in cues:
        document.captions.append(
            webvtt.Caption(
                webvtt_timestamp(cue.start),
                webvtt_timestamp(cue.end),
                [_escape(x) for x in cue.lines],
            )
        )
    content = document.content
    return content if content.endswith("\n") else content + "\n"

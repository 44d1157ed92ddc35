"""A caption track read as a transcript: each cue's start and words, and the plain-text
download learners keep (timestamps, one cue a line)."""

import html
import re
from dataclasses import dataclass

import webvtt
from django.utils.translation import gettext as _

from .models import Caption, CaptionState, Recording
from .storage import pipeline_storage

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})$")


@dataclass(frozen=True)
class Line:
    start: float
    text: str


def seconds(timestamp: str) -> float:
    """``00:01:02.500`` or ``01:02.500`` as seconds."""
    match = _TIME.match(timestamp.strip())
    if not match:
        raise ValueError(f"Not a WebVTT time: {timestamp!r}")
    hours, minutes, secs, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def clock(at: float) -> str:
    """``1:02`` or ``1:01:02``, as the player shows positions."""
    whole = int(at)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def lines(webvtt_text: str) -> list[Line]:
    """The cues that have words, in order, each on one line without markup or entities."""
    track = webvtt.from_string(webvtt_text)
    return [
        Line(seconds(cue.start), " ".join(html.unescape(cue.text).split()))
        for cue in track.captions
        if cue.text.strip()
    ]


def caption_for(*, recording: Recording, language: str) -> Caption | None:
    return Caption.objects.filter(recording=recording, language=language).first()


def read_track(caption: Caption) -> str:
    with pipeline_storage().open(caption.file.name, "rb") as handle:
        return handle.read().decode("utf-8-sig")


def transcript_text(*, caption: Caption) -> str:
    """The download: a heading (title, language, whether a person checked the words), then
    ``[m:ss] words`` for every cue."""
    head = [f"{caption.recording.title} — {_('transcript')} ({caption.label})"]
    if caption.state == CaptionState.AUTOMATIC:
        head.append(_("Automatic captions — not yet reviewed"))
    body = [f"[{clock(line.start)}] {line.text}" for line in lines(read_track(caption))]
    return "\n".join([*head, "", *body]) + "\n"

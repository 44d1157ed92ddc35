"""Caption files: WebVTT as players want it, SRT converted to WebVTT, both checked cue by cue.

Pure: takes bytes, returns WebVTT text or raises :class:`CaptionError` naming the line a
person has to fix. ``media_pipeline.services.captioning.add_caption`` stores the result.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
# A four-hour recording captioned line by line has a few thousand cues; tens of thousands of
# tiny cues only make players stutter.
MAX_CUES = 20_000

# Hours are optional in WebVTT; SRT always has them and uses a comma before milliseconds.
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+(.*))?$")
_SRT_TIMING = re.compile(rf"^{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t]+.*)?$")
EXAMPLE = "00:00:01.000 --> 00:00:04.000"


class CaptionError(ValueError):
    """The caption file cannot be used; ``line`` (1-based) is where it goes wrong."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        if line:
            # Translators: where a caption file goes wrong, e.g. "Line 12: the cue ends …".
            message = _("Line %(line)s: %(message)s") % {"line": line, "message": message}
        super().__init__(message)


@dataclass(frozen=True)
class Captions:
    webvtt: str
    cue_count: int
    converted_from: str  # "webvtt" or "srt"


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def webvtt_timestamp(seconds: float) -> str:
    """``01:02:03.250``: a WebVTT cue time (hours always written)."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CaptionError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 1024 // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older SRT files are often Windows-1252; anything else is not a caption file.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise CaptionError(_("The file is not text (save it as UTF-8).")) from error
    if "\x00" in text:
        raise CaptionError(_("The file is not text (save it as UTF-8)."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blocks(lines: list[str], start: int):
    """(first line number, lines) of each blank-line separated block from ``start``."""
    block: list[str] = []
    first = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip():
            if not block:
                first = index + 1
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _timing_error(line_number: int, line: str, expected: str) -> CaptionError:
    shown = line.strip()[:60]
    return CaptionError(
        _("“%(shown)s” is not a cue timing; write it like %(expected)s.")
        % {"shown": shown, "expected": expected},
        line=line_number,
    )


def _check_order(start: float, end: float, line_number: int) -> None:
    if end <= start:
        raise CaptionError(_("the cue ends before it starts."), line=line_number)


def _check_count(count: int, line_number: int) -> None:
    if count > MAX_CUES:
        raise CaptionError(
            _("the file has more than %(count)s cues; split long captions into fewer, longer cues.")
            % {"count": f"{MAX_CUES:,}"},
            line=line_number,
        )


def parse_webvtt(text: str) -> Captions:
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise CaptionError(_("A WebVTT file must start with WEBVTT."), line=1)
    # Header lines (Kind:, Language:) run up to the first blank line.
    body_start = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    count = 0
    for first, block in _blocks(lines, body_start):
        header = block[0]
        if header.startswith("NOTE") or (count == 0 and header.startswith(("STYLE", "REGION"))):
            continue
        # An optional identifier line comes before the timing.
        timing_index = 1 if "-->" not in block[0] and len(block) > 1 and "-->" in block[1] else 0
        line_number = first + timing_index
        match = _VTT_TIMING.match(block[timing_index].strip())
        if match is None:
            raise _timing_error(line_number, block[timing_index], EXAMPLE)
        groups = match.groups()
        _check_order(_seconds(*groups[:4]), _seconds(*groups[4:8]), line_number)
        count += 1
        _check_count(count, line_number)
    if count == 0:
        raise CaptionError(_("The file has no cues."))
    return Captions(webvtt=text.rstrip("\n") + "\n", cue_count=count, converted_from="webvtt")


def parse_srt(text: str) -> Captions:
    lines = text.split("\n")
    cues = []
    for first, block in _blocks(lines, 0):
        timing_index = 1 if block[0].strip().isdigit() else 0
        line_number = first + timing_index
        if timing_index >= len(block):
            raise _timing_error(line_number, "", "00:00:01,000 --> 00:00:04,000")
        match = _SRT_TIMING.match(block[timing_index].strip())
        if match is None:
            raise _timing_error(line_number, block[timing_index], "00:00:01,000 --> 00:00:04,000")
        groups = match.groups()
        start, end = _seconds(*groups[:4]), _seconds(*groups[4:8])
        _check_order(start, end, line_number)
        _check_count(len(cues) + 1, line_number)
        # "-->" would end a WebVTT cue's text early; SRT allows it.
        body = [line.replace("-->", "→") for line in block[timing_index + 1 :]]
        cues.append(f"{webvtt_timestamp(start)} --> {webvtt_timestamp(end)}\n" + "\n".join(body))
    if not cues:
        raise CaptionError(_("The file has no cues."))
    return Captions(
        webvtt="WEBVTT\n\n" + "\n\n".join(cues) + "\n", cue_count=len(cues), converted_from="srt"
    )


def parse_captions(data: bytes) -> Captions:
    """WebVTT or SRT bytes → checked WebVTT. The format is decided from the content."""
    text = _decode(data)
    if not text.strip():
        raise CaptionError(_("The file is empty."))
    if text.startswith("WEBVTT"):
        return parse_webvtt(text)
    return parse_srt(text)

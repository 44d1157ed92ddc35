"""Caption files: WebVTT checked, SRT converted, broken cues named by line."""

import pytest

from media_pipeline.captions import MAX_BYTES, MAX_CUES, CaptionError, parse_captions
from media_pipeline.models import Caption
from media_pipeline.services.captioning import add_caption
from media_pipeline.storage import list_tree

from .recordings import upload

SRT = b"""1
00:00:01,000 --> 00:00:03,500
Notice what the baby is telling you.

2
00:00:04,000 --> 00:00:06,000
Respond --> then wait.
"""


def test_srt_is_converted_to_webvtt():
    captions = parse_captions(SRT)
    assert captions.converted_from == "srt" and captions.cue_count == 2
    assert captions.webvtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n")
    assert "Notice what the baby is telling you." in captions.webvtt
    # "-->" inside cue text would end a WebVTT cue early.
    assert "Respond → then wait." in captions.webvtt


def test_webvtt_with_header_notes_and_identifiers_is_accepted():
    text = (
        "\ufeffWEBVTT - Serve and return\nKind: captions\nLanguage: en\n\n"
        "NOTE written by the facilitator\n\n"
        "STYLE\n::cue { color: yellow }\n\n"
        "intro\n00:01.000 --> 00:04.000 line:90%\nHello.\n\n"
        "01:02:03.250 --> 01:02:05.000\nLater.\n"
    ).encode()
    captions = parse_captions(text)
    assert captions.cue_count == 2 and captions.converted_from == "webvtt"


def test_windows_1252_srt_is_read():
    data = "1\r\n00:00:01,000 --> 00:00:02,000\r\nCaf\xe9\r\n".encode("cp1252")
    assert "Café" in parse_captions(data).webvtt


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nFine.\n\n00:00:04 --> 00:00:05\nBad.\n", 6,
         "not a cue timing"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:03.000\nBackwards.\n", 3, "ends before it starts"),
        (b"1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:03.000 -> 00:00:04,000\nTwo.\n",
         6, "not a cue timing"),
        (b"WEBVTT\n\nJust some words\nwith no timing\n", 3, "not a cue timing"),
    ],
)  # fmt: skip
def test_broken_cue_names_its_line(data, line, words):
    with pytest.raises(CaptionError) as caught:
        parse_captions(data)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"Line {line}: ") and words in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"WEBVTT\n\nNOTE only a note\n", "no cues"),
        (b"\x00\x01\x02WEBVTT", "not text"),
        (b"WEBVT\n\n00:00:01.000 --> 00:00:02.000\nHi\n", "not a cue timing"),
    ],
)
def test_files_that_are_not_captions_are_refused(data, message):
    with pytest.raises(CaptionError, match=message):
        parse_captions(data)


def many_cues(count: int) -> bytes:
    cue = "{n}\n00:00:{s:02d},000 --> 00:00:{s:02d},500\nUh.\n\n"
    return "".join(cue.format(n=n, s=n % 60) for n in range(1, count + 1)).encode()


# Hostile caption files: each refused with a reason, whatever it was built to do.
HOSTILE = {
    "binary junk": (bytes(range(256)) * 64, "not text"),
    "junk without zero bytes": (b"\x81\x8d\x8f\x90\x9d" * 1000, "not text"),
    "huge cue count": (many_cues(MAX_CUES + 1), f"more than {MAX_CUES:,} cues"),
    "larger than allowed": (b"WEBVTT\n\n" + b"x" * MAX_BYTES, "larger than 2 MB"),
    "timing with letters": (b"WEBVTT\n\n00:00:0a.000 --> 00:00:02.000\nHi\n", "not a cue timing"),
    "only a header": (b"WEBVTT\n", "no cues"),
    "an SRT number with no timing": (b"1\n", "not a cue timing"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_caption_files_are_refused(kind):
    data, message = HOSTILE[kind]
    with pytest.raises(CaptionError, match=message):
        parse_captions(data)


def test_the_largest_allowed_cue_count_is_accepted():
    assert parse_captions(many_cues(MAX_CUES)).cue_count == MAX_CUES


def test_a_refused_caption_file_changes_nothing(owner, private_storage, clips):
    recording = upload(owner, clips("webinar.mp4", seconds=8))
    before = sorted(list_tree(recording.storage_prefix))
    for data, message in HOSTILE.values():
        with pytest.raises(CaptionError, match=message):
            add_caption(recording=recording, language="en", label="English", data=data)
    assert not Caption.objects.exists()
    assert sorted(list_tree(recording.storage_prefix)) == before

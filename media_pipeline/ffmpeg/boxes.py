"""Is an MP4/MOV file whole? Walks the top-level boxes and checks each fits in the file.

A browser upload cut short keeps a front-loaded ``moov`` (``+faststart``) intact, so ffprobe
describes the whole recording happily while half the media data is missing; ffmpeg would
then publish a recording that stops halfway. Reads a few bytes per box from a binary file
object; starts no process.
"""

import struct
from typing import BinaryIO

from .validation import RejectedMedia, format_size

MAX_BOXES = 10_000
# What an MP4 or QuickTime file starts with; anything else is not judged here.
FIRST_BOXES = {"ftyp", "moov", "mdat", "wide", "free", "skip", "pnot", "uuid"}


def box_overrun(handle: BinaryIO, file_size: int) -> tuple[str, int] | None:
    """(box type, bytes it claims beyond the end of the file) for the first top-level box
    that does not fit, or None when every box does."""
    offset = 0
    for index in range(MAX_BOXES):
        if file_size - offset < 8:
            return None
        handle.seek(offset)
        size, kind = struct.unpack(">I4s", handle.read(8))
        name = kind.decode("latin-1")
        if index == 0 and name not in FIRST_BOXES:
            return None
        if size == 1:  # a 64-bit size follows the type
            header = handle.read(8)
            if len(header) < 8:
                return name, 8
            size = struct.unpack(">Q", header)[0]
        elif size == 0:  # the box runs to the end of the file
            return None
        if size < 8:
            return None  # not a box structure; ffprobe has already judged the file
        if offset + size > file_size:
            return name, offset + size - file_size
        offset += size
    return None


def check_complete(handle: BinaryIO, file_size: int) -> None:
    """Raise :class:`RejectedMedia` when the file ends before its boxes do."""
    overrun = box_overrun(handle, file_size)
    if overrun is None:
        return
    name, missing = overrun
    what = "media data" if name == "mdat" else f"“{name}” box"
    raise RejectedMedia(
        f"The file is cut short: its {what} needs {format_size(missing)} more than the "
        f"{format_size(file_size)} uploaded. The upload may not have finished; upload the "
        "whole file again."
    )

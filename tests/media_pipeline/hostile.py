"""A corpus of hostile uploads, made by the tests (no binary file is checked in), and two
watchers that notice when a process reads what a file points at.

Each kind is a file a careless pipeline would follow, trust or choke on: playlists and concat
lists pointing at local files and URLs, empty and cut-short files, headers claiming absurd
picture sizes or durations.
"""

import http.server
import os
import struct
import subprocess
import threading
from pathlib import Path

from .media import make_clip


class FifoWatch:
    """A FIFO that records whether any process opened it for reading."""

    def __init__(self, path: Path):
        self.path = path
        os.mkfifo(path)
        self.opened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        while not self._stop.wait(0.01):
            try:
                # Opening the write end without blocking only succeeds when a reader is there.
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            self.opened += 1
            os.close(fd)

    def stop(self):
        self._stop.set()
        self._thread.join()


class CountingHTTPServer:
    """A local HTTP server that remembers every path asked of it."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"\x00" * 188)

            do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def playlist(*targets: str) -> bytes:
    entries = "".join(f"#EXTINF:6.0,\n{target}\n" for target in targets)
    return f"#EXTM3U\n#EXT-X-TARGETDURATION:6\n{entries}#EXT-X-ENDLIST\n".encode()


def concat_list(*targets: str) -> bytes:
    return ("ffconcat version 1.0\n" + "".join(f"file '{t}'\n" for t in targets)).encode()


# -- Lying headers ----------------------------------------------------------------------------

_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


def _unescape(nal: bytes) -> bytes:
    """Drop H.264's emulation prevention bytes (00 00 03 → 00 00)."""
    out, zeros = bytearray(), 0
    for byte in nal:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _escape(rbsp: bytes) -> bytes:
    out, zeros = bytearray(), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


class _Bits:
    def __init__(self, data: bytes):
        self.bits = "".join(f"{byte:08b}" for byte in data)
        self.at = 0

    def u(self, count: int) -> int:
        value = int(self.bits[self.at : self.at + count], 2)
        self.at += count
        return value

    def ue(self) -> int:
        zeros = 0
        while self.bits[self.at] == "0":
            zeros += 1
            self.at += 1
        self.at += 1
        value = (1 << zeros) - 1 + (int(self.bits[self.at : self.at + zeros], 2) if zeros else 0)
        self.at += zeros
        return value

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)


def _ue(value: int) -> str:
    binary = f"{value + 1:b}"
    return "0" * (len(binary) - 1) + binary


def _sps_with_size(rbsp: bytes, width_mbs: int, height_mbs: int) -> bytes:
    """The sequence parameter set with its picture size (in 16-pixel macroblocks) replaced."""
    bits = _Bits(rbsp)
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    if profile in _HIGH_PROFILES:
        if bits.ue() == 3:  # chroma_format_idc
            bits.u(1)
        bits.ue(), bits.ue(), bits.u(1)
        assert bits.u(1) == 0, "x264 writes no scaling matrices"
    bits.ue()  # log2_max_frame_num_minus4
    order_type = bits.ue()
    if order_type == 0:
        bits.ue()
    elif order_type == 1:
        bits.u(1), bits.se(), bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue(), bits.u(1)  # max_num_ref_frames, gaps_in_frame_num_allowed
    start = bits.at
    bits.ue(), bits.ue()
    patched = bits.bits[:start] + _ue(width_mbs - 1) + _ue(height_mbs - 1) + bits.bits[bits.at :]
    patched += "0" * (-len(patched) % 8)
    return bytes(int(patched[i : i + 8], 2) for i in range(0, len(patched), 8))


def claims_picture_size(path: Path, folder: Path, *, width: int, height: int) -> Path:
    """A real H.264 clip in MP4 whose SPS claims ``width``×``height`` (multiples of 16)."""
    stream = folder / "clip.h264"
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "h264", str(stream),
        ],
        check=True,
    )  # fmt: skip
    start_code = b"\x00\x00\x00\x01"
    units = stream.read_bytes().split(start_code)
    for index, unit in enumerate(units):
        if unit and unit[0] & 0x1F == 7:  # sequence parameter set
            rbsp = _sps_with_size(_unescape(unit[1:]), width // 16, height // 16)
            units[index] = unit[:1] + _escape(rbsp)
    stream.write_bytes(start_code.join(units))
    subprocess.run(
        # The parser complains about the picture it was told of: that is the point.
        ["ffmpeg", "-hide_banner", "-loglevel", "fatal", "-y", "-f", "h264", "-i", str(stream),
         "-c", "copy", "-f", "mp4", str(path)],
        check=True,
    )  # fmt: skip
    return path


def claims_duration(path: Path, source: Path, *, seconds: int) -> Path:
    """A copy of an MP4 whose movie header (mvhd) claims ``seconds`` of running time."""
    data = bytearray(source.read_bytes())
    at = data.find(b"mvhd")
    assert data[at + 4] == 0, "a version 0 movie header"
    timescale = struct.unpack(">I", data[at + 16 : at + 20])[0]
    data[at + 20 : at + 24] = struct.pack(">I", min(seconds * timescale, 0xFFFFFFFF))
    path.write_bytes(bytes(data))
    return path


def y4m_claiming(path: Path, *, width: int, height: int) -> Path:
    """A raw YUV4MPEG header claiming a huge picture, followed by a few bytes of frame."""
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\nFRAME\n".encode())
    with path.open("ab") as handle:
        handle.write(b"\x80" * 4096)
    return path


# -- The corpus -------------------------------------------------------------------------------


def make_bad_file(kind: str, folder: Path, fifo: FifoWatch, server: CountingHTTPServer) -> Path:
    """Write the hostile file ``kind`` (a key of :data:`BAD_INPUTS`) into ``folder``."""
    path = folder / "recording.mp4"
    if kind == "zero bytes":
        path.write_bytes(b"")
    elif kind == "text named .mp4":
        path.write_text("Notes from the reflective supervision session.\n" * 20)
    elif kind == "binary junk":
        path.write_bytes(bytes((i * 151 + 7) % 256 for i in range(64 * 1024)))
    elif kind == "truncated mp4":
        whole = make_clip(folder / "whole.mp4", seconds=2)
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    elif kind == "truncated mp4, index first":
        # An interrupted upload of a +faststart file: the index is whole, the data is not.
        whole = make_clip(folder / "whole.mp4", seconds=2, extra=("-movflags", "+faststart"))
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    elif kind == "playlist to a local file":
        path.write_bytes(playlist(str(fifo.path)))
    elif kind == "playlist to /etc/passwd":
        path.write_bytes(playlist("/etc/passwd", f"file:{fifo.path}"))
    elif kind == "playlist to a URL":
        path.write_bytes(playlist(f"{server.url}/segment.ts"))
    elif kind == "concat list":
        path.write_bytes(concat_list(str(fifo.path)))
    elif kind == "concat list to /etc/passwd and a URL":
        path.write_bytes(concat_list("/etc/passwd", f"{server.url}/part.mp4", str(fifo.path)))
    elif kind == "no audio or video":
        subtitles = folder / "captions.srt"
        subtitles.write_text("1\n00:00:00,000 --> 00:00:02,000\nWelcome.\n")
        path = folder / "recording.mkv"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(subtitles), "-c:s", "srt", str(path)], check=True
        )
    elif kind == "raw video header claiming 100000×100000":
        y4m_claiming(path, width=100_000, height=100_000)
    elif kind == "H.264 header claiming 12000×12000":
        claims_picture_size(path, folder, width=12_000, height=12_000)
    elif kind == "header claiming 1193 hours":
        claims_duration(path, make_clip(folder / "short.mp4", seconds=2), seconds=0xFFFFFFFF)
    elif kind in ("over the size limit", "over the duration limit"):
        make_clip(path, seconds=2)
    return path


BAD_INPUTS = {
    "zero bytes": "The file is empty.",
    "text named .mp4": "could not be read as audio or video",
    "binary junk": "could not be read as audio or video",
    "truncated mp4": "could not be read as audio or video",
    "truncated mp4, index first": "The file is cut short: its media data needs",
    "playlist to a local file": "The file is an HLS playlist, not a recording",
    "playlist to /etc/passwd": "The file is an HLS playlist, not a recording",
    "playlist to a URL": "The file is an HLS playlist, not a recording",
    "concat list": "The file is a concat list of other files, not a recording",
    "concat list to /etc/passwd and a URL": "The file is a concat list of other files",
    "no audio or video": "The file has no audio or video track.",
    "raw video header claiming 100000×100000": "The file is raw video, not a recording",
    "H.264 header claiming 12000×12000": (
        "The video is 12000×12000 pixels; the largest accepted is 4096×4096."
    ),
    "header claiming 1193 hours": "long; the longest accepted is 4:00:00",
    "over the size limit": "the largest accepted is 1.0 KB",
    "over the duration limit": "the longest accepted is 0:01",
}

"""Short clips made with ffmpeg for the media pipeline's tests (never checked in)."""

import json
import subprocess
from pathlib import Path


def make_clip(
    path: Path,
    *,
    seconds: float = 3,
    size: str = "640x360",
    rate: int = 30,
    video: bool = True,
    audio: bool = True,
    channels: int = 2,
    video_codec: str = "libx264",
    audio_codec: str = "aac",
    extra: tuple[str, ...] = (),
) -> Path:
    """A synthetic test pattern with a tone: quick to make and to encode."""
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        layout = "stereo" if channels == 2 else "mono"
        args += [
            "-f", "lavfi",
            "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds},"
            f"aformat=channel_layouts={layout}",
        ]  # fmt: skip
    if video:
        args += ["-c:v", video_codec, "-pix_fmt", "yuv420p"]
        if video_codec == "libx264":
            args += ["-preset", "ultrafast", "-crf", "30"]
    if audio:
        args += ["-c:a", audio_codec]
    args += [*extra, str(path)]
    subprocess.run(args, check=True)
    return path


def rotate(source: Path, target: Path, degrees: int = 90) -> Path:
    """The same clip with a display-matrix rotation, as phones record portrait video."""
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
            "-c", "copy", "-metadata:s:v:0", f"rotate={degrees}", str(target),
        ],
        check=True,
    )  # fmt: skip
    return target


def ffprobe(path: Path | str, *args: str) -> dict:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", *args, str(path)],
        check=True,
        capture_output=True,
    )
    return json.loads(completed.stdout)


def decode_errors(path: Path | str) -> str:
    """Decode every frame of ``path``; returns ffmpeg's error output (empty when clean)."""
    completed = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stderr.strip()

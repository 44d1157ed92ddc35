"""What a ladder the pipeline wrote costs and looks like, measured from its files.

- bytes: everything the ladder stores in HLS (every variant's segments, init file and
  playlist, the audio once, the master playlist); the poster is left out and the
  progressive fallback file is counted on its own, so it can be added or not the same way
  for every ladder;
- per video rung: the measured peak (largest segment's bits ÷ its EXTINF duration) and
  average (all segments' bits ÷ their total duration), next to the rung's cap;
- SSIM of every video rung against the source scaled to the rung's size with the same
  scaler the ladder uses (ffmpeg's ``ssim`` filter, its ``All:`` value over the whole clip).

Measured here independently of the pipeline's own measuring, so each checks the other.
"""

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from media_pipeline.ffmpeg.playlists import parse_master_playlist, segment_durations

_SSIM = re.compile(r"\[ssim@(\w+) @ [^\]]*\] SSIM .* All:([0-9.]+)")


@dataclass
class RungMeasure:
    name: str
    width: int
    height: int
    cap: int  # Rung.maxrate, bits per second
    peak: int  # bits per second
    average: int  # bits per second
    bandwidth: int  # BANDWIDTH the master playlist offers players
    ssim: float | None = None

    @property
    def within_cap(self) -> bool:
        return self.peak <= self.cap


@dataclass
class LadderMeasure:
    hls_bytes: int
    fallback_bytes: int
    seconds: float
    rungs: list[RungMeasure] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    # Folders on disk that the master playlist does not offer (a dropped rung left behind).
    stray: list[str] = field(default_factory=list)

    def per_hour(self, *, with_fallback: bool = False) -> float:
        stored = self.hls_bytes + (self.fallback_bytes if with_fallback else 0)
        return stored * 3600 / self.seconds


def _variant_rates(folder: Path) -> tuple[int, int]:
    """(peak, average) bits per second of one variant's segments, from their sizes and the
    EXTINF durations of its playlist."""
    text = (folder / "playlist.m3u8").read_text()
    names = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    durations = segment_durations(text)
    bits = [(folder / name).stat().st_size * 8 for name in names]
    peak = max(b / d for b, d in zip(bits, durations, strict=True) if d > 0)
    return round(peak), round(sum(bits) / sum(durations))


def measure(encoded, ladder, *, seconds: float, progressive: str | None) -> LadderMeasure:
    """Bytes and rates of the ladder ``encoded`` wrote for the plan ``ladder``."""
    out = Path(encoded.directory)
    offered = parse_master_playlist((out / encoded.master_playlist).read_text())
    offered_names = {variant.name for variant in offered}
    skipped = {encoded.poster, progressive} - {None}
    hls_bytes = sum(
        path.stat().st_size
        for path in out.rglob("*")
        if path.is_file() and path.relative_to(out).as_posix() not in skipped
    )
    fallback = out / progressive if progressive else None
    result = LadderMeasure(
        hls_bytes=hls_bytes,
        fallback_bytes=fallback.stat().st_size if fallback and fallback.is_file() else 0,
        seconds=seconds,
        dropped=[rung.name for rung in ladder.rungs if rung.name not in offered_names],
        stray=sorted(
            path.name for path in out.iterdir() if path.is_dir() and path.name not in offered_names
        ),
    )
    by_name = {variant.name: variant for variant in offered}
    for rung in ladder.rungs:
        variant = by_name.get(rung.name)
        if variant is None:
            continue
        peak, average = _variant_rates(out / rung.name)
        result.rungs.append(
            RungMeasure(
                name=rung.name,
                width=rung.width,
                height=rung.height,
                cap=rung.maxrate,
                peak=peak,
                average=average,
                bandwidth=variant.bandwidth,
            )
        )
    return result


def ssim(source: Path, encoded, ladder, rungs: list[RungMeasure], *, ffmpeg="ffmpeg") -> None:
    """Fill in each rung's SSIM: one ffmpeg decodes the source once and every rung's variant
    playlist, and compares each rung with the source scaled to its size."""
    if not rungs:
        return
    out = Path(encoded.directory)
    rate = str(ladder.frame_rate)
    # Both sides at the ladder's frame rate from time zero, so frames pair up one to one.
    same_clock = f"fps={rate},setpts=PTS-STARTPTS"
    inputs, graph = [], []
    sources = "".join(f"[s{i}]" for i in range(len(rungs)))
    graph.append(f"[{len(rungs)}:v]{same_clock},format=yuv420p,split={len(rungs)}{sources}")
    for index, rung in enumerate(rungs):
        inputs += ["-i", str(out / rung.name / "playlist.m3u8")]
        graph.append(f"[s{index}]scale={rung.width}:{rung.height},setsar=1[r{index}]")
        graph.append(f"[{index}:v]{same_clock},format=yuv420p,setsar=1[m{index}]")
        graph.append(f"[m{index}][r{index}]ssim@{rung.name}[o{index}]")
    completed = subprocess.run(
        [
            ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
            *inputs, "-i", str(source), "-filter_complex", ";".join(graph),
            *[arg for index in range(len(rungs)) for arg in ("-map", f"[o{index}]")],
            "-f", "null", "-",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = dict(_SSIM.findall(completed.stderr))
    if completed.returncode != 0 or len(found) != len(rungs):
        raise RuntimeError(f"SSIM measurement failed:\n{completed.stderr[-2000:]}")
    for rung in rungs:
        rung.ssim = float(found[rung.name])

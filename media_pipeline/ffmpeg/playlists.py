"""Read the HLS master playlist ffmpeg wrote: what players will be offered."""

import re
from collections.abc import Callable
from dataclasses import dataclass

_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


@dataclass(frozen=True)
class Variant:
    uri: str
    kind: str  # "video" or "audio"
    bandwidth: int
    width: int
    height: int
    codecs: str
    average_bandwidth: int = 0  # AVERAGE-BANDWIDTH, when the playlist gives it

    @property
    def name(self) -> str:
        """The rendition's folder, which is its name in ``-var_stream_map``."""
        return self.uri.split("/")[0]


def _attributes(text: str) -> dict[str, str]:
    return {key: value.strip('"') for key, value in _ATTRIBUTE.findall(text)}


def parse_master_playlist(text: str) -> list[Variant]:
    """Every ``EXT-X-STREAM-INF`` variant, plus audio renditions only reachable through an
    ``EXT-X-MEDIA`` group, in playlist order."""
    variants, seen = [], set()
    media = []
    pending = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = _attributes(line.partition(":")[2])
        elif line.startswith("#EXT-X-MEDIA:"):
            media.append(_attributes(line.partition(":")[2]))
        elif line and not line.startswith("#") and pending is not None:
            width, _, height = pending.get("RESOLUTION", "0x0").partition("x")
            variants.append(
                Variant(
                    uri=line,
                    kind="video" if pending.get("RESOLUTION") else "audio",
                    bandwidth=int(pending.get("BANDWIDTH", 0)),
                    width=int(width or 0),
                    height=int(height or 0),
                    codecs=pending.get("CODECS", ""),
                    average_bandwidth=int(pending.get("AVERAGE-BANDWIDTH", 0)),
                )
            )
            seen.add(line)
            pending = None
    for attributes in media:
        uri = attributes.get("URI")
        if attributes.get("TYPE") == "AUDIO" and uri and uri not in seen:
            variants.append(Variant(uri, "audio", 0, 0, 0, ""))
            seen.add(uri)
    return variants


def segment_durations(text: str) -> list[float]:
    """``EXTINF`` durations of a media playlist, in order."""
    return [
        float(line.partition(":")[2].split(",")[0])
        for line in text.splitlines()
        if line.startswith("#EXTINF:")
    ]


_URI_IN_TAG = re.compile(r'URI="([^"]*)"')


def rewrite_playlist(text: str, resolve: Callable[[str], str]) -> str:
    """The playlist with every URI replaced by ``resolve(uri)``: entry lines (variant
    playlists, segments) and the ``URI="…"`` attributes of tags such as ``EXT-X-MAP`` (init
    files), ``EXT-X-MEDIA`` (renditions) and ``EXT-X-I-FRAME-STREAM-INF``."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            lines.append("")
        elif stripped.startswith("#"):
            lines.append(_URI_IN_TAG.sub(lambda m: f'URI="{resolve(m.group(1))}"', stripped))
        else:
            lines.append(resolve(stripped))
    return "\n".join(lines) + "\n"


def playlist_uris(text: str) -> list[str]:
    """Every URI a playlist refers to, in order."""
    uris: list[str] = []
    rewrite_playlist(text, lambda uri: uris.append(uri) or uri)
    return uris


def measure_variant(playlist_text: str, sizes: dict[str, int]) -> tuple[int, int]:
    """``(peak, average)`` bits per second of a media playlist, from the sizes in bytes of
    the files it names (``sizes`` maps each URI as written in the playlist to its size).

    The peak is HLS's peak segment bit rate (RFC 8216, 4.3.4.2): the highest rate of any run
    of consecutive segments lasting 0.5 to 1.5 times the target duration, so a last segment
    of a fraction of a second holding one keyframe does not pass for the rung's rate. With
    equal segments that is the largest segment's bits over its ``EXTINF`` duration. The init
    file (``EXT-X-MAP``) counts toward the first segment: a player fetches both before it
    shows anything. The average is every byte over the whole duration (``AVERAGE-BANDWIDTH``).
    """
    init, target = 0, 0.0
    segments: list[tuple[int, float]] = []
    duration = None
    for line in playlist_text.splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = float(line.partition(":")[2])
        elif line.startswith("#EXT-X-MAP:"):
            init += sizes[_attributes(line.partition(":")[2])["URI"]]
        elif line.startswith("#EXTINF:"):
            duration = float(line.partition(":")[2].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((sizes[line] + (init if not segments else 0), duration))
            duration = None
    total_bytes = sum(size for size, _ in segments)
    total_seconds = sum(seconds for _, seconds in segments)
    if not segments or total_seconds <= 0:
        return 0, 0
    average = total_bytes * 8 / total_seconds
    target = target or max(seconds for _, seconds in segments)
    peak = 0.0
    for first in range(len(segments)):
        run_bytes, run_seconds = 0, 0.0
        for size, seconds in segments[first:]:
            run_bytes, run_seconds = run_bytes + size, run_seconds + seconds
            if run_seconds > 1.5 * target:
                break
            if run_seconds >= 0.5 * target:
                peak = max(peak, run_bytes * 8 / run_seconds)
    # A recording shorter than half a segment has no such run: its whole is its peak.
    return round(peak or average), round(average)


def _attribute_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(?<=[:,]){re.escape(name)}=[^,]*")


def _set_attribute(line: str, name: str, value: int, *, after: str = "") -> str:
    """``line`` with attribute ``name`` set to ``value``: replaced where it is, else placed
    after the attribute ``after`` (or first)."""
    pattern = _attribute_pattern(name)
    if pattern.search(line):
        return pattern.sub(f"{name}={value}", line, count=1)
    anchor = _attribute_pattern(after).search(line) if after else None
    if anchor:
        return f"{line[: anchor.end()]},{name}={value}{line[anchor.end() :]}"
    tag, _, rest = line.partition(":")
    return f"{tag}:{name}={value},{rest}"


def rewrite_master_bandwidths(
    text: str, measured: dict[str, tuple[int, int]], *, drop: frozenset[str] = frozenset()
) -> str:
    """The master playlist with each variant's ``BANDWIDTH`` and ``AVERAGE-BANDWIDTH`` set
    to ``measured[uri] = (peak, average)`` (variants not in ``measured`` keep theirs), and
    the variants whose URI is in ``drop`` left out."""
    lines, pending = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#EXT-X-STREAM-INF:"):
            pending = stripped
            continue
        if pending is not None and stripped and not stripped.startswith("#"):
            if stripped not in drop:
                if stripped in measured:
                    peak, average = measured[stripped]
                    pending = _set_attribute(pending, "BANDWIDTH", peak)
                    pending = _set_attribute(
                        pending, "AVERAGE-BANDWIDTH", average, after="BANDWIDTH"
                    )
                lines += [pending, stripped]
            pending = None
            continue
        lines.append(stripped)
    return "\n".join(lines).rstrip("\n") + "\n"


def redundant_variants(
    averages: list[tuple[str, int]],
    *,
    keep: frozenset[str] = frozenset(),
    margin: float = 0.10,
    slack: int = 0,
) -> set[str]:
    """Names of video variants that add nothing: ``averages`` lists ``(name, average bits
    per second)`` from the largest rung down, and a rung costing at most ``margin`` (a
    fraction) or ``slack`` (bits per second) more than the next lower rung kept is dropped.
    The lowest rung and those in ``keep`` always stay."""
    dropped: set[str] = set()
    if not averages:
        return dropped
    lower = averages[-1][1]
    for name, average in reversed(averages[:-1]):
        if name not in keep and average <= max(lower * (1 + margin), lower + slack):
            dropped.add(name)
        else:
            lower = average
    return dropped

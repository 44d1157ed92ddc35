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

"""The pure command layer: probe parsing, validation, ladder planning, argv building and
progress parsing. Nothing here imports Django or starts a process (``media_pipeline.runner``
does that), so all of it is tested in isolation."""

from .commands import ladder_command, probe_command, remux_command, speech_audio_command
from .ladder import Ladder, Rung, can_remux, plan_ladder
from .playlists import (
    Variant,
    measure_variant,
    parse_master_playlist,
    playlist_uris,
    redundant_variants,
    rewrite_master_bandwidths,
    rewrite_playlist,
    segment_durations,
)
from .probe import ProbeError, ProbeResult, Stream, parse_probe
from .progress import Progress, ProgressParser
from .validation import Limits, RejectedMedia, check_size, demuxer_for, validate

__all__ = [
    "Ladder",
    "Limits",
    "ProbeError",
    "ProbeResult",
    "Progress",
    "ProgressParser",
    "RejectedMedia",
    "Rung",
    "Stream",
    "Variant",
    "can_remux",
    "check_size",
    "demuxer_for",
    "ladder_command",
    "measure_variant",
    "parse_master_playlist",
    "parse_probe",
    "plan_ladder",
    "playlist_uris",
    "probe_command",
    "redundant_variants",
    "remux_command",
    "rewrite_master_bandwidths",
    "rewrite_playlist",
    "segment_durations",
    "speech_audio_command",
    "validate",
]

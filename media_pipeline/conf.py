"""The media pipeline's settings, with defaults, read from Django settings at call time."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .ffmpeg import Limits
from .ffmpeg.ladder import RATE_CONTROLS
from .ffmpeg.sandbox import SandboxPolicy


@dataclass(frozen=True)
class PipelineConfig:
    storage_alias: str
    work_dir: Path
    limits: Limits
    x264_preset: str
    # "capped_crf" (constant quality under a cap at each rung's nominal rate) or "fixed"
    # (the nominal rates as averages); see media_pipeline.ffmpeg.ladder.RATE_CONTROLS.
    rate_control: str
    segment_seconds: int
    ffmpeg: str
    ffprobe: str
    probe_timeout: float
    # A worker holds a recording through a lease it renews while it works; a dead worker's
    # lease runs out and another worker takes the recording over.
    lease_seconds: int
    # The lease is renewed (and progress saved) this often while ffmpeg runs.
    lease_renewal_seconds: float
    # An unfinished recording without a lease that nobody touched for this long is queued
    # again by the periodic sweep (its message may have been lost).
    stuck_after_seconds: float
    # Attempts ending with a content error (the file's fault) before the recording fails;
    # content errors fail at once, so this bounds only what slips through.
    max_attempts: int
    # Infrastructure faults (lost worker or lease, database, storage, full disk) retried
    # with backoff before the recording fails and its organization's media managers hear.
    max_infrastructure_retries: int
    retry_backoff_seconds: int
    upload_workers: int
    # ffmpeg is killed after max(min_wall_seconds, wall_factor × duration) or when its
    # progress has not moved for stall_seconds.
    min_wall_seconds: float
    wall_factor: float
    stall_seconds: float
    # Resource limits and network isolation for ffprobe and ffmpeg.
    sandbox: SandboxPolicy

    def wall_limit(self, duration: float) -> float:
        return max(self.min_wall_seconds, self.wall_factor * duration)

    def backoff(self, retries: int) -> float:
        """Seconds before retry number ``retries`` (1, 2, …): doubling, at most an hour."""
        return min(self.retry_backoff_seconds * 2 ** max(0, retries - 1), 3600)


def _get(name, default):
    return getattr(settings, f"MEDIA_PIPELINE_{name}", default)


def _rate_control() -> str:
    value = _get("RATE_CONTROL", "capped_crf")
    if value not in RATE_CONTROLS:
        raise ImproperlyConfigured(
            f"MEDIA_PIPELINE_RATE_CONTROL must be one of {', '.join(RATE_CONTROLS)}, not {value!r}"
        )
    return value


def config() -> PipelineConfig:
    lease = int(_get("LEASE_SECONDS", 60))
    return PipelineConfig(
        storage_alias=_get("STORAGE", "media_pipeline"),
        work_dir=Path(_get("WORK_DIR", Path(tempfile.gettempdir()) / "attune-media-work")),
        limits=Limits(
            max_bytes=int(_get("MAX_UPLOAD_BYTES", 10 * 1024**3)),
            max_duration=float(_get("MAX_DURATION_SECONDS", 4 * 3600)),
            max_width=int(_get("MAX_WIDTH", 4096)),
            max_height=int(_get("MAX_HEIGHT", 4096)),
        ),
        x264_preset=_get("X264_PRESET", "superfast"),
        rate_control=_rate_control(),
        segment_seconds=int(_get("SEGMENT_SECONDS", 6)),
        ffmpeg=_get("FFMPEG", "ffmpeg"),
        ffprobe=_get("FFPROBE", "ffprobe"),
        probe_timeout=float(_get("PROBE_TIMEOUT_SECONDS", 120)),
        lease_seconds=lease,
        lease_renewal_seconds=min(5.0, lease / 3),
        stuck_after_seconds=float(_get("STUCK_AFTER_SECONDS", 900)),
        max_attempts=int(_get("MAX_ATTEMPTS", 3)),
        max_infrastructure_retries=int(_get("MAX_INFRASTRUCTURE_RETRIES", 10)),
        retry_backoff_seconds=int(_get("RETRY_BACKOFF_SECONDS", 30)),
        upload_workers=int(_get("UPLOAD_WORKERS", 4)),
        min_wall_seconds=float(_get("MIN_WALL_SECONDS", 3600)),
        wall_factor=float(_get("WALL_FACTOR", 3)),
        stall_seconds=float(_get("STALL_SECONDS", 300)),
        # MEDIA_PIPELINE_PROCESS_LIMITS overrides SandboxPolicy's defaults by field name,
        # e.g. {"encode_memory_bytes": 8 * 1024**3} for 4K sources.
        sandbox=SandboxPolicy.from_settings(
            dict(_get("PROCESS_LIMITS", {})),
            isolate_network=bool(_get("ISOLATE_NETWORK", True)),
        ),
    )


@dataclass(frozen=True)
class UploadConfig:
    # Parts sent through Attune (the embedded default); small enough to retry cheaply.
    part_bytes: int
    # Parts sent straight to S3: at least 16 MiB, doubled up to 64 MiB for very large files
    # (S3 allows 10,000 parts per upload).
    s3_min_part_bytes: int
    s3_max_part_bytes: int
    parallel: int
    presign_seconds: int
    max_bytes: int


def upload_config() -> UploadConfig:
    return UploadConfig(
        part_bytes=int(_get("UPLOAD_PART_BYTES", 8 * 1024**2)),
        s3_min_part_bytes=int(_get("S3_MIN_PART_BYTES", 16 * 1024**2)),
        s3_max_part_bytes=int(_get("S3_MAX_PART_BYTES", 64 * 1024**2)),
        parallel=int(_get("UPLOAD_PARALLEL_PARTS", 4)),
        presign_seconds=int(_get("UPLOAD_PRESIGN_SECONDS", 3600)),
        max_bytes=int(_get("MAX_UPLOAD_BYTES", 10 * 1024**3)),
    )


def playback_url_seconds() -> int:
    """How long a signed playback URL lives beyond the recording's own duration."""
    return int(_get("PLAYBACK_URL_SECONDS", 900))


def hook(name: str, default: str):
    """A callable or class named by a dotted-path setting, e.g. the playback authorizer."""
    return import_string(_get(name, default) or default)


@dataclass(frozen=True)
class CaptionConfig:
    # The speech engine (``media_pipeline.speech.engines``); empty: automatic captions off.
    engine: str
    # What the engine needs beyond its name: model file paths and the like.
    engine_options: dict
    # The language automatic captions are made in (a BCP 47 tag such as en).
    language: str
    # Tries of one job ended by a fault of ours (a lost worker, the database, the storage)
    # before it fails; each waits the pipeline's backoff. Never touches the recording.
    max_attempts: int

    @property
    def enabled(self) -> bool:
        return bool(self.engine)


def caption_config() -> CaptionConfig:
    return CaptionConfig(
        engine=(_get("CAPTION_ENGINE", "pocketsphinx") or "").strip(),
        engine_options=dict(_get("CAPTION_ENGINE_OPTIONS", {}) or {}),
        language=_get("CAPTION_LANGUAGE", "en") or "en",
        max_attempts=int(_get("CAPTION_MAX_ATTEMPTS", 5)),
    )

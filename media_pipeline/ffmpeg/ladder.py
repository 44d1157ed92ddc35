"""Which renditions to make of a recording: the adaptive ladder, its audio and extras."""

from dataclasses import dataclass
from fractions import Fraction

from .probe import ProbeResult

# Nominal rungs by the picture's short side, with H.264 bit rates for 16:9 at up to 30 fps.
# The lowest rung keeps a webinar watchable on a phone on a weak mobile connection.
STANDARD_RUNGS = ((1080, 5_000_000), (720, 2_800_000), (480, 1_400_000), (360, 800_000))
# Constant quality per rung under capped CRF: the small rungs are watched enlarged, so they
# get a little more quality. Chosen for SSIM ≥ 0.98 against the source scaled to each rung.
RUNG_CRF = {1080: 23, 720: 22, 480: 21, 360: 21}
DEFAULT_CRF = 21
# How a rung spends bits: "capped_crf" (constant quality, the nominal rate as a cap, so a
# still slide costs little and motion never exceeds what the rung promises) or "fixed" (the
# nominal rate as an average, as before; kept for comparison and as an escape hatch).
RATE_CONTROLS = ("capped_crf", "fixed")
MAX_FRAME_RATE = 30
FALLBACK_MAX_SIDE = 480
POSTER_MAX_SIDE = 720


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    bitrate: int  # bits per second: the average under "fixed", the cap under "capped_crf"
    crf: int = DEFAULT_CRF

    @property
    def maxrate(self) -> int:
        return self.bitrate * 107 // 100

    @property
    def bufsize(self) -> int:
        return self.bitrate * 3 // 2

    @property
    def cap(self) -> int:
        """Capped CRF's rate ceiling (x264's maxrate): the nominal rate."""
        return self.bitrate

    def cap_buffer(self, segment_seconds: int) -> int:
        """Capped CRF's VBV buffer, in bits. x264 lets any stretch of ``t`` seconds carry at
        most ``cap × t + buffer`` bits, so a buffer of ``(maxrate − cap) × segment`` keeps
        every whole segment's rate, the peak HLS advertises, at or under :attr:`maxrate`
        (7% over the nominal rate, within the 10% by which a measured peak may exceed the
        declared ``BANDWIDTH`` in Apple's HLS authoring rules). About 0.4 s at 6 s segments:
        room for a keyframe without letting a segment overshoot."""
        return (self.maxrate - self.cap) * segment_seconds

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


@dataclass(frozen=True)
class AudioPlan:
    channels: int
    bitrate: int
    sample_rate: int = 48_000


@dataclass(frozen=True)
class Poster:
    width: int
    height: int
    at: float  # seconds into the recording


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...]
    audio: AudioPlan | None
    frame_rate: Fraction | None
    segment_seconds: int
    fallback: Rung | None  # the progressive MP4's picture (an audio-only ladder makes an M4A)
    poster: Poster | None
    rate_control: str = "capped_crf"

    @property
    def gop(self) -> int:
        """Frames per keyframe interval: one per segment, so every rung cuts at the same time."""
        if self.frame_rate is None:
            return 0
        return max(1, round(self.frame_rate * self.segment_seconds))

    @property
    def audio_only(self) -> bool:
        return not self.rungs


def even(value: float) -> int:
    """H.264 in 4:2:0 needs even dimensions."""
    return max(2, round(value / 2) * 2)


def output_frame_rate(rate: Fraction | None) -> Fraction:
    """The source rate, halved until at most 30 fps (60 → 30, 59.94 → 29.97, 50 → 25)."""
    if rate is None or rate <= 0:
        return Fraction(MAX_FRAME_RATE)
    while rate > MAX_FRAME_RATE + Fraction(1, 100):
        rate /= 2
    return rate


def _rung(short: int, width: int, height: int, nominal_short: int, nominal_bitrate: int) -> Rung:
    """A rung whose short side is ``short``, keeping the picture's shape."""
    if width >= height:
        size = (even(short * width / height), even(short))
    else:
        size = (even(short), even(short * height / width))
    nominal_area = even(nominal_short * 16 / 9) * nominal_short
    scale = max(Fraction(1, 2), Fraction(size[0] * size[1], nominal_area))
    crf = RUNG_CRF.get(nominal_short, DEFAULT_CRF)
    return Rung(f"{min(size)}p", size[0], size[1], int(nominal_bitrate * scale), crf)


def plan_ladder(
    probe: ProbeResult,
    *,
    segment_seconds: int = 6,
    rungs=STANDARD_RUNGS,
    rate_control: str = "capped_crf",
) -> Ladder:
    """Plan renditions for a validated probe: never upscale, honour rotation and shape."""
    if rate_control not in RATE_CONTROLS:
        raise ValueError(f"rate_control must be one of {RATE_CONTROLS}, not {rate_control!r}")
    audio = None
    if probe.audio is not None:
        stereo = probe.audio.channels != 1
        audio = AudioPlan(channels=2 if stereo else 1, bitrate=128_000 if stereo else 96_000)
    if probe.video is None:
        return Ladder(
            (), audio, None, segment_seconds, fallback=None, poster=None, rate_control=rate_control
        )

    width, height = probe.display_size
    short = min(width, height)
    ladder = tuple(
        _rung(nominal, width, height, nominal, bitrate)
        for nominal, bitrate in rungs
        if nominal <= short
    )
    if not ladder:
        # Smaller than the lowest rung: one rendition at the source's own size.
        nominal, bitrate = rungs[-1]
        ladder = (_rung(short, width, height, nominal, bitrate),)

    fallback = next((r for r in ladder if r.short_side <= FALLBACK_MAX_SIDE), ladder[-1])
    poster_rung = next((r for r in ladder if r.short_side <= POSTER_MAX_SIDE), ladder[-1])
    # A frame a little way in: the first frames of a webinar are often black or a title card.
    poster_at = round(min(probe.duration * 0.1, 10.0), 3)
    return Ladder(
        rungs=ladder,
        audio=audio,
        frame_rate=output_frame_rate(probe.video.frame_rate),
        segment_seconds=segment_seconds,
        fallback=fallback,
        poster=Poster(poster_rung.width, poster_rung.height, poster_at),
        rate_control=rate_control,
    )


def can_remux(probe: ProbeResult) -> bool:
    """True when the source already plays in browsers as is (H.264 8-bit 4:2:0 with AAC), so
    a stream copy into HLS can be published within seconds, before the full ladder exists.

    Rotated sources are left out: a copied stream keeps rotation only as a display matrix,
    which some players ignore, and a sideways first play is worse than a short wait.
    """
    video, audio = probe.video, probe.audio
    if video is None or video.codec != "h264" or video.rotation:
        return False
    if video.pixel_format not in ("yuv420p", "yuvj420p"):
        return False
    return audio is None or audio.codec == "aac"

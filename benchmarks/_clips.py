"""The recordings the transcoding benchmark encodes, generated with ffmpeg (and espeak-ng for
speech) so every run measures the same pictures and sounds.

- ``motion``: 1080p test pattern in constant motion with temporal noise: the worst case for
  bit rate and speed (a camera in poor light).
- ``webinar``: what associations mostly upload. 1080p slides with large text that change every
  few seconds, a small moving speaker picture in a corner, and a voice reading a paragraph.

Both are H.264 at 8 Mb/s with a keyframe every 2 s and 48 kHz stereo AAC, as a camera or a
meeting recorder writes them. A clip is made once and kept under the given folder.
"""

import subprocess
import tempfile
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SLIDE_SECONDS = 5
SPEECH = (
    "Reflective supervision gives home visitors a regular, safe time to think about their "
    "work with infants and families. The supervisor listens first, asks what the visitor "
    "noticed, and wonders together about what the baby might be feeling. Over time, this "
    "practice helps staff stay curious and calm when a family is under stress."
)
SLIDES = (
    ("Welcome", ("Infant mental health in practice", "Session one of four", "Attune webinars")),
    ("Today's goals", ("Name three signs of secure attachment", "Practise reflective questions",
                       "Plan one change for next week")),
    ("Why it matters", ("The first three years shape later health", "Relationships carry",
                        "the most weight in early development")),
    ("Serve and return", ("A baby reaches out with a look or a sound", "An adult responds in kind",
                          "Back and forth builds the brain")),
    ("Reading cues", ("Engagement: eye contact, smiles, reaching",
                      "Disengagement: turning away, arching", "Pause when the baby needs a break")),
    ("Reflective questions", ("What did you notice?", "What might the baby be feeling?",
                              "What did that bring up for you?")),
    ("A home visit", ("Arrive, settle, and observe first", "Follow the family's lead",
                      "Close with one concrete next step")),
    ("Stress and regulation", ("Co-regulation comes before self-regulation",
                               "A calm adult lends calm to a child", "Notice your own state")),
    ("Working with parents", ("Parents are the experts on their child", "Wonder aloud together",
                              "Celebrate small moments of connection")),
    ("Documentation", ("Write what you saw, not what you assumed", "Keep notes brief and kind",
                       "Share plans with the family")),
    ("Self-care", ("Secondary stress is common", "Use supervision to process hard visits",
                   "Rest is part of the work")),
    ("Questions", ("Type your questions in the chat", "Slides will be shared after the session",
                   "Thank you for joining")),
)  # fmt: skip
COLOURS = ("0x1f4e79", "0x2e7d32", "0x6a1b9a", "0xb71c1c", "0xe65100", "0x00695c")


def _run(argv: list) -> None:
    subprocess.run([str(arg) for arg in argv], check=True)


# 8 Mb/s with a keyframe every 2 s, like a camera or a meeting recorder writes.
_SOURCE_VIDEO = [
    "-c:v", "libx264", "-preset", "superfast", "-b:v", "8M", "-maxrate", "10M",
    "-bufsize", "16M", "-g", "60", "-pix_fmt", "yuv420p",
]  # fmt: skip


def motion(folder: Path, seconds: int) -> Path:
    """1080p30 test pattern with motion and temporal noise, and a 330 Hz tone."""
    path = folder / f"clip-1080p-{seconds}s.mp4"
    if path.exists():
        return path
    print(f"Making a {seconds} s 1080p clip with motion and noise …", flush=True)
    partial = path.with_suffix(".partial.mp4")
    _run([
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds},"
        "noise=alls=6:allf=t",
        "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={seconds}",
        *_SOURCE_VIDEO, "-c:a", "aac", "-b:a", "128k", partial,
    ])  # fmt: skip
    partial.rename(path)
    return path


def _slides_filter(seconds: int, texts: Path) -> str:
    """Slides one after another, each for SLIDE_SECONDS: a coloured title band, a large
    title and three lines of body text, its number in the footer."""
    parts = []
    count = -(-seconds // SLIDE_SECONDS)
    for number in range(count):
        title, lines = SLIDES[number % len(SLIDES)]
        start, end = number * SLIDE_SECONDS, (number + 1) * SLIDE_SECONDS
        when = f"enable='gte(t,{start})*lt(t,{end})'"
        (texts / f"{number}-title.txt").write_text(title)
        (texts / f"{number}-body.txt").write_text("\n".join(f"•  {line}" for line in lines))
        (texts / f"{number}-foot.txt").write_text(f"Attune webinar  ·  {number + 1}")
        colour = COLOURS[number % len(COLOURS)]
        parts += [
            f"drawbox=x=0:y=0:w=iw:h=220:color={colour}:t=fill:{when}",
            f"drawtext=fontfile={BOLD}:textfile={texts}/{number}-title.txt:fontsize=96:"
            f"fontcolor=white:x=120:y=62:{when}",
            f"drawtext=fontfile={FONT}:textfile={texts}/{number}-body.txt:fontsize=64:"
            f"line_spacing=48:fontcolor=0x202020:x=140:y=340:{when}",
            f"drawtext=fontfile={FONT}:textfile={texts}/{number}-foot.txt:fontsize=36:"
            f"fontcolor=0x606060:x=120:y=h-90:{when}",
        ]
    return ",".join(parts)


def webinar(folder: Path, seconds: int) -> Path:
    """1080p30 slides changing every SLIDE_SECONDS with a 320x180 moving speaker picture in
    the lower right corner, and speech (espeak-ng reading a paragraph, repeated to the end)
    as 48 kHz stereo AAC."""
    path = folder / f"webinar-1080p-{seconds}s.mp4"
    if path.exists():
        return path
    print(f"Making a {seconds} s 1080p webinar clip (slides, speaker inset, speech) …", flush=True)
    partial = path.with_suffix(".partial.mp4")
    with tempfile.TemporaryDirectory(prefix="webinar-", dir=folder) as scratch:
        scratch = Path(scratch)
        speech = scratch / "speech.wav"
        _run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", speech, "--", SPEECH])
        graph = (
            f"color=c=0xf7f7f2:size=1920x1080:rate=30:duration={seconds},"
            f"{_slides_filter(seconds, scratch)}[slides];"
            # A webcam: moving picture with a little sensor noise, framed by a thin border.
            f"testsrc2=size=320x180:rate=30:duration={seconds},noise=alls=3:allf=t,"
            "pad=w=328:h=188:x=4:y=4:color=0x404040[speaker];"
            "[slides][speaker]overlay=x=W-w-48:y=H-h-48:shortest=1,format=yuv420p[v]"
        )
        _run([
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-stream_loop", "-1", "-i", speech,
            "-filter_complex", f"{graph};[0:a]aresample=48000,pan=stereo|c0=c0|c1=c0[a]",
            "-map", "[v]", "-map", "[a]", "-t", seconds,
            *_SOURCE_VIDEO, "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
            partial,
        ])  # fmt: skip
    partial.rename(path)
    return path

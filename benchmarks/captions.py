"""Automatic captions benchmark: how well and how fast the default speech engine hears.

A fixed corpus of short paragraphs in Attune's field (babies, caregivers, home visiting,
reflective supervision) is spoken by several espeak-ng voices, male and female, at two
speeds. For each voice and speed the default engine (pocketsphinx, the wheel's English
model) transcribes it; the script prints:

- word error rate per voice and speed and overall (word-level edit distance against the
  text that was spoken: substitutions + deletions + insertions ÷ words spoken);
- captioning speed as a multiple of real time (audio extraction + speech to text + cues +
  WebVTT), by wall clock and by CPU time;
- beside it, transcoding the same recording: a 720p test-pattern video carrying that speech
  goes through the pipeline's full ladder (``media_pipeline.encoding`` plans it,
  ``media_pipeline.ffmpeg.ladder_command`` is the argv) in bare ffmpeg, and captioning's
  time is given as a share of transcoding's.

Synthetic voices are a floor, not a forecast: people on recordings are heard differently.
No targets: the figures are for comparing engines and settings. Writes
``benchmarks/results/captions.json``. Run with ``make bench`` or
``.venv/bin/python benchmarks/captions.py [--voices en-us,en-us+f2] [--speeds 140,175]``.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import figure, write  # noqa: E402
from benchmarks.transcode import measured  # noqa: E402

VAR = ROOT / "var" / "bench"
VOICES = ("en-us", "en-us+f2", "en-gb-x-rp", "en-gb-x-rp+f4")
SPEEDS = (140, 175)

CORPUS = (
    "A baby cries when she is hungry or tired. Her mother picks her up and speaks softly "
    "until she is calm.",
    "Caregivers learn to notice small signals. A turned head or a yawn can mean that the "
    "infant needs a break.",
    "Reflective supervision gives the home visitor time to think about her work with each family.",
    "The supervisor listens without judging. Together they wonder what the parent might be "
    "feeling.",
    "Young children learn about feelings through everyday routines like feeding, bathing and "
    "bedtime.",
    "When a toddler is upset, the adult stays close and names the feeling for the child.",
    "Parents who were not cared for gently may need support to trust their own baby.",
    "The training module explains attachment, safety and the importance of play.",
    "Please complete the reading before the next group meeting and bring your questions.",
    "Every relationship matters. Small moments of connection help a child grow strong and curious.",
)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Fewest word substitutions, deletions and insertions turning one list into the other."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def load_settings():
    """The pipeline's configuration (ladder, preset) from Attune's development settings;
    nothing is written to a database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("ATTUNE_VAR_DIR", str(VAR))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def make_video(audio: Path, path: Path) -> Path:
    with wave.open(str(audio)) as w:
        seconds = w.getnframes() / w.getframerate()
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds:.3f}",
            "-i", str(audio),
            "-c:v", "libx264", "-preset", "superfast", "-b:v", "4M", "-g", "60",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
            "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def caption(engine, video: Path, work: Path):
    """What the worker does: extract 16 kHz mono PCM, transcribe, build cues, write WebVTT."""
    from media_pipeline.speech.cues import build_cues, to_webvtt
    from tests.media_pipeline.speech_media import to_pcm

    pcm = to_pcm(video, work / "audio.pcm")
    heard = list(engine.transcribe(pcm))
    text = to_webvtt(build_cues(heard))
    pcm.unlink()
    return heard, text


def transcode(video: Path, work: Path):
    from media_pipeline import encoding
    from media_pipeline.conf import config
    from media_pipeline.ffmpeg import ladder_command

    cfg = config()
    inspection = encoding.inspect(video, config=cfg)
    ladder = encoding.plan(inspection, config=cfg)
    out = work / "ladder"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    argv = ladder_command(
        video, demuxer=inspection.demuxer, ladder=ladder, out_dir=out, preset=cfg.x264_preset
    )
    with measured() as measure:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    shutil.rmtree(out, ignore_errors=True)
    return measure, [rung.name for rung in ladder.rungs], cfg.x264_preset


def bench(voices, speeds) -> dict:
    from media_pipeline.speech.engines import DEFAULT_ENGINE, load_engine
    from tests.media_pipeline.speech_media import speak

    load_settings()
    engine = load_engine(DEFAULT_ENGINE, {})
    reference = [w for paragraph in CORPUS for w in words(paragraph)]
    conditions = []
    total_edits = total_audio = total_wall = total_cpu = 0.0
    comparison = None
    with tempfile.TemporaryDirectory(prefix="captions-", dir=VAR) as tmp:
        work = Path(tmp)
        for voice in voices:
            for speed in speeds:
                print(f"{voice} at {speed} words a minute …", flush=True)
                audio = work / "speech.wav"
                speak(CORPUS, audio, voice=voice, speed=speed, gap=1.0)
                video = make_video(audio, work / "speech.mp4")
                with wave.open(str(audio)) as w:
                    seconds = w.getnframes() / w.getframerate()
                with measured() as captioning:
                    heard, _ = caption(engine, video, work)
                hypothesis = [w for word in heard for w in words(word.text)]
                edits = edit_distance(reference, hypothesis)
                conditions.append(
                    {
                        "voice": voice,
                        "speed_wpm": speed,
                        "audio_seconds": round(seconds, 2),
                        "words_spoken": len(reference),
                        "words_heard": len(hypothesis),
                        "edits": edits,
                        "word_error_rate": round(edits / len(reference), 4),
                        "caption_wall_seconds": round(captioning.wall, 2),
                        "caption_cpu_seconds": round(captioning.cpu, 2),
                        "x_realtime": round(seconds / captioning.wall, 3),
                        "heard_first_paragraph": " ".join(hypothesis[: len(words(CORPUS[0])) + 3]),
                    }
                )
                total_edits += edits
                total_audio += seconds
                total_wall += captioning.wall
                total_cpu += captioning.cpu
                if comparison is None:
                    print("Transcoding the same recording (full ladder, bare ffmpeg) …")
                    ladder_time, rungs, preset = transcode(video, work)
                    comparison = {
                        "voice": voice,
                        "speed_wpm": speed,
                        "video": "1280x720 30 fps testsrc2, H.264 4 Mb/s + AAC",
                        "audio_seconds": round(seconds, 2),
                        "rungs": rungs,
                        "preset": preset,
                        "transcode_wall_seconds": round(ladder_time.wall, 2),
                        "transcode_cpu_seconds": round(ladder_time.cpu, 2),
                        "caption_wall_seconds": round(captioning.wall, 2),
                        "caption_cpu_seconds": round(captioning.cpu, 2),
                        "caption_over_transcode_wall": round(captioning.wall / ladder_time.wall, 3),
                        "caption_over_transcode_cpu": round(captioning.cpu / ladder_time.cpu, 3),
                    }
    cores = os.cpu_count() or 1
    return {
        "engine": DEFAULT_ENGINE,
        "corpus": {"paragraphs": len(CORPUS), "words": len(reference)},
        "voices": list(voices),
        "speeds_wpm": list(speeds),
        "conditions": conditions,
        "overall": {
            "word_error_rate": round(total_edits / (len(reference) * len(conditions)), 4),
            "audio_seconds": round(total_audio, 1),
            "caption_wall_seconds": round(total_wall, 1),
            "caption_cpu_seconds": round(total_cpu, 1),
            "x_realtime": round(total_audio / total_wall, 3),
            # One job uses one core: its CPU time says how fast it runs on an idle core.
            "x_realtime_by_cpu": round(total_audio / total_cpu, 3),
        },
        "transcode_comparison": comparison,
        "machine": {"cpus": cores},
        "notes": [
            "Word error rate is measured on espeak-ng's synthetic voices, which the default "
            "engine hears worse than most people on recordings and very differently from "
            "voice to voice: it compares engines and settings, it does not forecast a real "
            "recording's captions.",
        ],
    }


def report(data: dict) -> str:
    lines = [
        f"Attune captions benchmark: {data['engine']}, {data['corpus']['paragraphs']} "
        f"paragraphs ({data['corpus']['words']} words) per voice and speed",
        f"{'voice':16} {'speed':>6} {'audio':>8} {'WER':>7} {'× real time':>12}",
    ]
    for c in data["conditions"]:
        lines.append(
            f"{c['voice']:16} {c['speed_wpm']:>6} {c['audio_seconds']:>7.1f}s "
            f"{c['word_error_rate']:>7.1%} {c['x_realtime']:>11.2f}×"
        )
    o, t = data["overall"], data["transcode_comparison"]
    lines += [
        f"{'overall':16} {'':>6} {o['audio_seconds']:>7.1f}s {o['word_error_rate']:>7.1%} "
        f"{o['x_realtime']:>11.2f}×  (by CPU time {o['x_realtime_by_cpu']:.2f}×)",
        "",
        f"Same recording ({t['audio_seconds']:.0f} s, {t['voice']} at {t['speed_wpm']}): "
        f"captioning {t['caption_wall_seconds']:.1f} s, full ladder "
        f"({', '.join(t['rungs'])}, {t['preset']}) {t['transcode_wall_seconds']:.1f} s",
        f"captioning ÷ transcoding: {t['caption_over_transcode_wall']:.2f} by wall clock, "
        f"{t['caption_over_transcode_cpu']:.2f} by CPU time",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default=",".join(VOICES), help="espeak-ng voices")
    parser.add_argument("--speeds", default=",".join(map(str, SPEEDS)), help="words a minute")
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is missing: run make speech-deps")
    VAR.mkdir(parents=True, exist_ok=True)
    voices = [v for v in args.voices.split(",") if v]
    speeds = [int(s) for s in args.speeds.split(",") if s]
    data = bench(voices, speeds)
    print(report(data))
    o, t = data["overall"], data["transcode_comparison"]
    figures = [
        figure("word error rate, all voices and speeds", o["word_error_rate"]),
        *(
            figure(f"word error rate, {c['voice']} at {c['speed_wpm']} wpm", c["word_error_rate"])
            for c in data["conditions"]
        ),
        figure("captioning speed", o["x_realtime"], unit="× real time"),
        figure("captioning speed by CPU time (one idle core)", o["x_realtime_by_cpu"], unit="×"),
        figure(
            "captioning time ÷ transcoding time, same recording", t["caption_over_transcode_wall"]
        ),
    ]
    write("captions", title="Automatic captions", figures=figures, data=data)


if __name__ == "__main__":
    main()

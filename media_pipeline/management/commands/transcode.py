"""``manage.py transcode SRC --output DIR [--json]``: the worker's probe → validate → plan →
encode path, run synchronously on a local file, for trying a recording or measuring speed."""

import json
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from media_pipeline import encoding
from media_pipeline.conf import config
from media_pipeline.ffmpeg import RejectedMedia
from media_pipeline.runner import ProcessFailed


class Command(BaseCommand):
    help = "Transcode a local recording to the adaptive HLS ladder in DIR (no database)."

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="SRC", help="the recording to transcode")
        parser.add_argument(
            "--output", "-o", required=True, metavar="DIR", help="an empty or new folder"
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the summary as JSON"
        )

    def handle(self, *args, source, output, as_json=False, **options):
        cfg = config()
        out_dir = Path(output).resolve()
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise CommandError(f"{out_dir} exists and is not an empty folder")
        try:
            inspection = encoding.inspect(Path(source), config=cfg)
        except RejectedMedia as rejection:
            self.stderr.write(f"error: {rejection.reason}")
            raise SystemExit(2) from None

        out_dir.parent.mkdir(parents=True, exist_ok=True)
        # Encode beside DIR and move into place at the end, so DIR never holds half a ladder.
        work = Path(tempfile.mkdtemp(prefix=".transcode-", dir=out_dir.parent))
        try:
            encoded = encoding.encode_ladder(Path(source), inspection, work, config=cfg)
            if out_dir.exists():
                out_dir.rmdir()
            work.rename(out_dir)
        except (ProcessFailed, encoding.EncodeFailed) as error:
            tail = getattr(error, "last_line", "")
            raise CommandError(
                f"transcoding failed: {error}{f' ({tail})' if tail else ''}"
            ) from error
        finally:
            shutil.rmtree(work, ignore_errors=True)

        summary = self._summary(Path(source), inspection, encoded, out_dir)
        if as_json:
            self.stdout.write(json.dumps(summary, indent=2))
        else:
            self.stdout.write(self._text(summary))

    @staticmethod
    def _summary(source: Path, inspection, encoded, out_dir: Path) -> dict:
        duration = inspection.probe.duration
        return {
            "source": str(source),
            "duration": round(duration, 3),
            "renditions": [
                {
                    "name": variant.name,
                    "kind": variant.kind,
                    "width": variant.width,
                    "height": variant.height,
                    "bandwidth": variant.bandwidth,
                    "codecs": variant.codecs,
                    "playlist": str(out_dir / variant.uri),
                }
                for variant in encoded.variants
            ],
            "master_playlist": str(out_dir / encoded.master_playlist),
            "mp4": str(out_dir / encoded.progressive) if encoded.progressive else None,
            "poster": str(out_dir / encoded.poster) if encoded.poster else None,
            "wall_seconds": round(encoded.wall_seconds, 3),
            "speed": round(duration / encoded.wall_seconds, 3) if encoded.wall_seconds else None,
        }

    @staticmethod
    def _text(summary: dict) -> str:
        lines = [
            f"Transcoded {summary['duration']:.1f} s in {summary['wall_seconds']:.1f} s "
            f"({summary['speed']}× real time).",
            "Renditions:",
        ]
        for rendition in summary["renditions"]:
            size = (
                f"{rendition['width']}×{rendition['height']}"
                if rendition["kind"] == "video"
                else "audio"
            )
            lines.append(
                f"  {rendition['name']:>6}  {size:>10}  {rendition['bandwidth'] / 1000:.0f} kb/s"
            )
        lines += [
            f"Master playlist: {summary['master_playlist']}",
            f"MP4 fallback:    {summary['mp4']}",
            f"Poster:          {summary['poster'] or '(none: audio only)'}",
        ]
        return "\n".join(lines)

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.competencies.services import FrameworkFileError, load_framework


class Command(BaseCommand):
    help = "Load the competency framework (areas, sub-areas, categories) from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.ATTUNE_FRAMEWORK_FILE))

    def handle(self, *args, path, **options):
        try:
            result = load_framework(path=Path(path))
        except FrameworkFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        fw = result.framework
        if result.framework_created:
            self.stdout.write(
                f"Loaded {fw}: {result.areas_created} areas, {result.sub_areas_created} sub-areas."
            )
        else:
            self.stdout.write(f"{fw} is already loaded; left unchanged.")
            if result.names_translated:
                self.stdout.write(f"Updated translated names of {result.names_translated} rows.")
        if result.categories_created:
            self.stdout.write(f"Added categories: {', '.join(result.categories_created)}.")

"""``loaddata`` is refused: Attune ships no fixtures, and a dump is not a backup."""

from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from .dumpdata import NOT_A_BACKUP


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        raise CommandError(NOT_A_BACKUP)

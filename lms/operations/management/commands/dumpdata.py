"""``dumpdata`` of the whole database is not a backup of Attune; one app's data may still be
dumped for inspection."""

from django.core.management.base import CommandError
from django.core.management.commands import dumpdata
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NOT_A_BACKUP = gettext_lazy(
    "dumpdata/loaddata is not a backup method for Attune: a whole-database dump does not "
    "load back faithfully, and the keys that sign credentials are not in it. "
    "Back up with pg_dump -Fc and restore with pg_restore, with the keys, as "
    "docs/operations.md describes."
)


class Command(dumpdata.Command):
    help = gettext_lazy("Output one app's data for inspection (whole-database dumps are refused).")

    def handle(self, *app_labels, **options):
        if not app_labels:
            raise CommandError(NOT_A_BACKUP)
        self.stderr.write(_("Note: this output is not a backup (docs/operations.md)."))
        return super().handle(*app_labels, **options)

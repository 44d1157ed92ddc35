"""Re-encrypt the issuers' credential signing keys under the current ATTUNE_CREDENTIAL_KEY."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.records.credentials import CredentialError, reencrypt_issuer_keys


class Command(BaseCommand):
    help = _(
        "Re-encrypt every issuer signing key under ATTUNE_CREDENTIAL_KEY, after moving the old "
        "key to ATTUNE_CREDENTIAL_KEY_FALLBACKS (docs/operations.md)."
    )

    def handle(self, *args, **options):
        try:
            count = reencrypt_issuer_keys()
        except CredentialError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "%(count)d issuer key(s) now encrypted under ATTUNE_CREDENTIAL_KEY; "
                "ATTUNE_CREDENTIAL_KEY_FALLBACKS can be emptied."
            )
            % {"count": count}
        )

"""Register (or bring up to date) every association site's single sign-on client: run it
after changing ATTUNE_PLATFORM_URL or a site's address outside the admin. Idempotent."""

from django.core.management.base import BaseCommand

from lms.accounts.sso.clients import register_site_client
from lms.organizations.models import Organization, OrganizationKind


class Command(BaseCommand):
    help = "Register each association site as a client of the platform's sign-in."

    def handle(self, *args, **options):
        associations = Organization.objects.filter(
            kind=OrganizationKind.ASSOCIATION, site__isnull=False
        ).select_related("site")
        for org in associations:
            register_site_client(site=org.site, name=org.display_name)
            self.stdout.write(f"{org.site.root_url}  {org.display_name}")

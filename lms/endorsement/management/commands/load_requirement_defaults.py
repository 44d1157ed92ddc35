from django.core.management.base import BaseCommand, CommandError

from lms.organizations.models import Organization, OrganizationKind

from ...services.requirements import DefaultsFileError, load_requirement_defaults


class Command(BaseCommand):
    help = (
        "Give every association Attune's default endorsement requirement sets where it has "
        "none for a category (idempotent; never changes an existing set)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--association", help="Only this association (slug).")
        parser.add_argument("--file", help="A defaults file other than the shipped one.")

    def handle(self, *args, association=None, file=None, **options):
        associations = None
        if association:
            associations = list(
                Organization.objects.filter(slug=association, kind=OrganizationKind.ASSOCIATION)
            )
            if not associations:
                raise CommandError(f"No association with the slug {association!r}.")
        try:
            result = load_requirement_defaults(associations=associations, path=file)
        except DefaultsFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        self.stdout.write(
            f"Requirement sets: {result.created} created, {result.kept} already there."
        )
        if result.missing_categories:
            self.stderr.write(
                "Categories not in the database (run load_framework first): "
                + ", ".join(sorted(result.missing_categories))
            )

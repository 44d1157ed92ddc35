"""Let browsers upload parts straight to the recordings bucket and read their ETags."""

from django.core.management.base import BaseCommand, CommandError

from media_pipeline.uploads import UploadRefused, configure_bucket_cors


class Command(BaseCommand):
    help = (
        "Set the CORS rules of the media pipeline's S3 bucket so the admin's uploader (and "
        "the sites' players) on the given origins can PUT parts, read ETags and GET streams."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            action="append",
            required=True,
            help="An origin such as https://admin.attune.example (repeat for several).",
        )

    def handle(self, *args, origin, **options):
        try:
            rules = configure_bucket_cors(origins=origin)
        except UploadRefused as refused:
            raise CommandError(str(refused)) from None
        allowed = ", ".join(rules["CORSRules"][0]["AllowedOrigins"])
        self.stdout.write(f"The recordings bucket accepts uploads from {allowed}.")

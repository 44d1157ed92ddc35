from django.core.management.base import BaseCommand

from demo.learning import load_demo_webinar
from demo.translations import translate_playable_webinar
from lms.organizations.models import Facilitator, Organization


class Command(BaseCommand):
    help = (
        "Add the short demo webinar (ten-second clip, post-test) to the Great Lakes catalog, "
        "in English and Spanish."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", default="great-lakes")

    def handle(self, *args, **options):
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None or organization.site_id is None:
            self.stderr.write("Load the demo first (manage.py load_demo).")
            return
        facilitators = list(Facilitator.objects.filter(approvals__association=organization)[:1])
        webinar = load_demo_webinar(organization=organization, facilitators=facilitators)
        translate_playable_webinar(webinar)
        if webinar is None:
            self.stderr.write("ffmpeg is missing: no demo webinar.")
        elif options["verbosity"]:
            self.stdout.write(f"Demo webinar: {webinar.full_url}")

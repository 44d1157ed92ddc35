from django.core.management.base import BaseCommand
from django.urls import reverse

from demo.loader import DEMO_PORT, demo_accounts_table, load_demo


class Command(BaseCommand):
    help = (
        "Create the demo organizations, association sites, one user per role and the demo "
        "catalog (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true")

    def handle(self, *args, quiet_accounts=False, **options):
        result = load_demo()
        self.stdout.write(
            f"Demo ready: {len(result['organizations'])} organizations, "
            f"{len(result['users'])} users, {len(result['trainings'])} trainings, "
            f"{len(result['modules'])} library modules."
        )
        if not quiet_accounts:
            self.stdout.write(demo_accounts_table())
            self.stdout.write(endorsement_links(result["endorsements"]))


def endorsement_links(endorsements) -> str:
    """Where to see the demo's endorsed professionals: each registry and verification page
    (nothing on the site links to a verification page: a holder hands its address out)."""
    base = f"http://127.0.0.1:{DEMO_PORT}"
    lines = ["Registries and verification pages:"]
    for e in endorsements:
        registry = reverse("endorsement:registry", args=[e.association.slug])
        verify = reverse("endorsement:verify", args=[e.verification_id])
        lines.append(f"  {e.learner.get_full_name()} ({e.category.code}): {base}{registry}")
        lines.append(
            f"  {'':<{len(e.learner.get_full_name()) + len(e.category.code) + 3}} {base}{verify}"
        )
    return "\n".join(lines)

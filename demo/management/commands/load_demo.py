from django.core.management.base import BaseCommand

from demo.loader import demo_accounts_table, load_demo


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

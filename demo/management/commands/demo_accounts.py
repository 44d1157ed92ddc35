"""Print the demo's sign-ins and registry links: `make run` runs it as its last process, once
the web server answers, so the table is what a person sees after the start-up banners."""

import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from demo.endorsement import demo_endorsements
from demo.loader import demo_accounts_table
from demo.management.commands.load_demo import endorsement_links


class Command(BaseCommand):
    help = "Print the demo accounts (and wait for the web server first with --when-serving)."

    def add_arguments(self, parser):
        parser.add_argument("--when-serving", metavar="URL", default="")
        parser.add_argument("--timeout", type=float, default=120)
        parser.add_argument(
            "--stay",
            action="store_true",
            help="Keep running after printing (a process manager stops everything when one "
            "of its processes exits).",
        )

    def handle(self, *args, when_serving="", timeout=120, stay=False, **options):
        if when_serving:
            self._wait_for(when_serving, timeout)
        self.stdout.write(demo_accounts_table())
        self.stdout.write(endorsement_links(demo_endorsements()))
        self.stdout.write("Open http://127.0.0.1:8000 and sign in with one of the accounts above.")
        self.stdout.flush()
        while stay:
            time.sleep(3600)

    def _wait_for(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a local URL we were given
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() > deadline:
                    raise CommandError(f"{url} did not answer within {timeout:.0f} s") from error
                time.sleep(0.5)

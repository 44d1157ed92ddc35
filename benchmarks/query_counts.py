"""Queries per page at two sizes: the catalog, a transcript, a portfolio and a center's
dashboard each run the same number of queries whatever the amount of data behind them.

Builds a throw-away test database (SQLite under ATTUNE_VAR_DIR, or DATABASE_URL), requests
each page through Django's test client as its user would (each page once first, to fill
Wagtail's caches), counts the queries at the small size, grows the data tenfold and counts
again. Target: the counts are equal. The test suite asserts the same (``tests/courses/
test_catalog.py``, ``tests/lms/records/test_transcript.py``, ``tests/lms/endorsement/
test_views.py``, ``tests/centers/test_dashboard.py``).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks._report import figure, write  # noqa: E402

SIZES = {"trainings": (20, 200), "records": (10, 1_000), "staff": (50, 500)}


def queries(client: Client, url: str, **headers) -> int:
    """Queries of one request, made after a first request that fills the caches."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return len(captured)


def learner_with_records(association, count: int):
    from lms.accounts.services import update_profile
    from lms.competencies.models import EndorsementCategory
    from tests.factories import UserFactory
    from tests.lms.records.test_transcript import bulk_records

    user = UserFactory()
    update_profile(
        user=user,
        association=association,
        target_category=EndorsementCategory.objects.get(code="IFS"),
    )
    bulk_records(user, count)
    return user


def measure() -> dict[str, tuple[int, int]]:
    from django.contrib.contenttypes.models import ContentType

    from lms.endorsement.services.requirements import load_requirement_defaults
    from lms.organizations.models import ContractTraining
    from tests.centers.builders import center_with_manager, contract
    from tests.centers.test_dashboard import roster_of
    from tests.courses.factories import association, training
    from tests.courses.test_catalog import bulk_trainings

    ContentType.objects.clear_cache()
    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    counts = {}

    lakes = association("great-lakes", name="Great Lakes Association")
    load_requirement_defaults(associations=[lakes])
    host = {"HTTP_HOST": lakes.site.hostname}
    small, large = SIZES["trainings"]
    bulk_trainings(lakes, small)
    at_small = queries(client, "/catalog/", **host)
    bulk_trainings(lakes, large - small, start=small)
    counts["catalog"] = (at_small, queries(client, "/catalog/", **host))

    transcript, portfolio = [], []
    for size in SIZES["records"]:
        client.force_login(learner_with_records(lakes, size))
        transcript.append(queries(client, reverse("records:transcript")))
        portfolio.append(queries(client, reverse("endorsement:portfolio")))
    counts["transcript"], counts["portfolio"] = tuple(transcript), tuple(portfolio)

    course = training(lakes, "Reading a baby's cues", require_evaluation=False)
    center, manager = center_with_manager()
    made = contract(lakes, center, [], seats=10_000, title="Large contract")
    ContractTraining.objects.create(contract=made, training=course)
    client.force_login(manager)
    small, large = SIZES["staff"]
    roster_of(center, made, course, small)
    at_small = queries(client, f"/centers/{center.slug}/")
    roster_of(center, made, course, large - small)
    counts["dashboard"] = (at_small, queries(client, f"/centers/{center.slug}/"))
    return counts


UNITS = {
    "catalog": "trainings",
    "transcript": "records",
    "portfolio": "records",
    "dashboard": "staff",
}


def main():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        database = connection.vendor
        counts = measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    figures = []
    print(f"{'page':12}{'small':>18}{'large':>18}")
    for page, (small, large) in counts.items():
        unit = UNITS[page]
        small_size, large_size = SIZES[unit]
        print(
            f"{page:12}{f'{small} at {small_size:,}':>18}{f'{large} at {large_size:,}':>18}  {unit}"
        )
        figures += [
            figure(f"{page}: queries with {small_size:,} {unit}", small),
            figure(
                f"{page}: queries with {large_size:,} {unit}",
                large,
                target=small,
                relation="==",
            ),
        ]
    write(
        "query_counts",
        title=f"Queries per page at two sizes ({database})",
        figures=figures,
        data={
            "database": database,
            "sizes": SIZES,
            "queries": {page: {"small": s, "large": lg} for page, (s, lg) in counts.items()},
        },
    )


if __name__ == "__main__":
    main()

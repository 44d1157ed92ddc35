"""The catalog, a portfolio and a center's dashboard at scale, timed against the same pages at
a small size, with the plans of their hottest queries.

On PostgreSQL (DATABASE_URL if it names PostgreSQL, else the local server at 127.0.0.1:5432
if it answers; otherwise nothing is measured, and the result says so), in one throw-away test
database: seeds a small platform (``demo.scale.seed_scale``, prefix ``small``), times each
page as its user requests it, then seeds the large one beside it (prefix ``large``) and times
the large one's pages. Each page is requested once to warm up, then ``--repeat`` times; the
fastest request counts (other work on a shared machine only ever slows one down). Per-page
sizes are alike at both scales: a learner's portfolio holds ``records / learners`` records
and the center has 500 staff; the tables behind them grow. The catalog grows with the
learners (one course per 200). Then ``EXPLAIN`` of the three slowest queries of each large
page is printed, and every query of each large page is explained: a sequential scan of a
table of more than 10,000 rows is a missing index.

    .venv/bin/python benchmarks/scale.py [--learners 20000 --records 200000]
    .venv/bin/python benchmarks/scale.py --learners 100000 --records 1000000 --name scale_full
    make bench SCALE_ARGS="--learners 100000 --records 1000000"
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")

from benchmarks._report import figure, setup_django, write  # noqa: E402

POSTGRES = setup_django(postgres=True)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

BIG_TABLE_ROWS = 10_000
TARGET_RATIO = 2.0
PAGES = ("catalog", "portfolio", "dashboard")


def requests(prefix: str) -> dict[str, tuple]:
    """Each page of the seed ``prefix``: (user to sign in or None, URL, headers)."""
    from demo.scale import center_slug, learner_email, manager_email
    from lms.accounts.models import User

    return {
        "catalog": (None, "/catalog/", {"HTTP_HOST": f"{prefix}.localhost"}),
        "portfolio": (
            User.objects.get(email=learner_email(prefix, 0)),
            reverse("endorsement:portfolio"),
            {},
        ),
        "dashboard": (
            User.objects.get(email=manager_email(prefix)),
            f"/centers/{center_slug(prefix)}/",
            {},
        ),
    }


def timed(prefix: str, repeat: int) -> dict[str, dict]:
    """The fastest of ``repeat`` requests of each page, and the queries of the last one."""
    out = {}
    for page, (user, url, headers) in requests(prefix).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url, **headers)
        best = float("inf")
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, **headers)
                best = min(best, time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        out[page] = {"seconds": best, "queries": captured.captured_queries}
    return out


def table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


def _short(line: str, width: int = 200) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def explain(queries: list[dict], rows: dict[str, int], top: int = 3) -> tuple[list, list]:
    """Plans of the ``top`` slowest SELECTs; and the big tables that any SELECT of the page
    scans sequentially."""
    selects = sorted(
        (q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")),
        key=lambda q: float(q["time"]),
        reverse=True,
    )
    plans, scans = [], []
    with connection.cursor() as cursor:
        for rank, query in enumerate(selects):
            cursor.execute("EXPLAIN " + query["sql"])
            # Lines cut short: a plan repeats the query's IN lists in full.
            plan = "\n".join(_short(line) for (line,) in cursor.fetchall())
            if rank < top:
                plans.append({"sql": query["sql"], "ms": float(query["time"]) * 1000, "plan": plan})
            for table in re.findall(r"Seq Scan on (\w+)", plan):
                if rows.get(table, 0) > BIG_TABLE_ROWS:
                    scans.append(table)
    return plans, scans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--small-learners", type=int, default=2_000)
    parser.add_argument("--small-records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--name", default="scale", help="results/<name>.json")
    args = parser.parse_args()
    if not POSTGRES:
        print("PostgreSQL is not reachable (DATABASE_URL or 127.0.0.1:5432): nothing measured.")
        write(
            args.name,
            title="Scale",
            figures=[],
            data={"notes": ["PostgreSQL was not reachable: the scale benchmark did not run."]},
        )
        return

    from demo.scale import seed_scale

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        sizes = {
            "small": (args.small_learners, args.small_records),
            "large": (args.learners, args.records),
        }
        seeded, timings = {}, {}
        for prefix, (learners, records) in sizes.items():
            print(f"Seeding {prefix}: {learners:,} learners, {records:,} records …", flush=True)
            seeded[prefix] = seed_scale(learners=learners, records=records, prefix=prefix)
            print(f"  in {seeded[prefix].total_seconds:.1f} s", flush=True)
            timings[prefix] = timed(prefix, args.repeat)
        rows = table_rows()
        plans, scans = {}, []
        for page in PAGES:
            plans[page], found = explain(timings["large"][page]["queries"], rows)
            scans += [f"{page}: {table}" for table in found]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    small, large = seeded["small"], seeded["large"]
    figures, notes = [], []
    print(f"\n{'page':12}{'small ms':>10}{'large ms':>10}{'ratio':>8}")
    for page in PAGES:
        a, b = timings["small"][page]["seconds"], timings["large"][page]["seconds"]
        print(f"{page:12}{a * 1000:>10.1f}{b * 1000:>10.1f}{b / a:>8.2f}")
        figures.append(
            figure(
                f"{page}: time at {large.learners:,} learners ÷ at {small.learners:,}",
                round(b / a, 2),
                target=TARGET_RATIO,
                relation="<=",
            )
        )
    figures.append(
        figure(
            f"sequential scans of tables over {BIG_TABLE_ROWS:,} rows in the pages' queries",
            len(scans),
            target=0,
            relation="==",
        )
    )
    rate = large.records / max(large.seconds.get("records", 0), 0.001)
    notes.append(
        f"Seeded {large.learners:,} learners, {large.records:,} records (each with its area "
        f"hours and facilitator), {large.trainings:,} catalog courses and a center of "
        f"{large.staff:,} staff in {large.total_seconds:.0f} s ({rate:,.0f} records a second; "
        f"steps: {', '.join(f'{k} {v:.1f} s' for k, v in large.seconds.items())}). The small "
        f"size: {small.learners:,} learners, {small.records:,} records, {small.trainings} "
        f"courses. Fastest of {args.repeat} requests per page."
    )
    for page in PAGES:
        print(f"\n== EXPLAIN, {page} at {large.learners:,} learners (slowest queries first)")
        for plan in plans[page]:
            print(f"-- {plan['ms']:.1f} ms: {_short(plan['sql'], 160)}")
            print(plan["plan"])
        if plans[page]:
            hottest = plans[page][0]
            notes.append(
                f"`EXPLAIN` of the slowest query of the {page} at {large.learners:,} learners "
                f"({hottest['ms']:.1f} ms):\n\n```\n{hottest['plan']}\n```"
            )
    if scans:
        print("\nSequential scans of big tables: " + ", ".join(scans))
    write(
        args.name,
        title=f"Scale: {large.learners:,} learners and {large.records:,} records (PostgreSQL)",
        figures=figures,
        data={
            "sizes": {"small": vars(small), "large": vars(large)},
            "seconds": {
                size: {page: round(timings[size][page]["seconds"], 4) for page in PAGES}
                for size in timings
            },
            "queries": {
                size: {page: len(timings[size][page]["queries"]) for page in PAGES}
                for size in timings
            },
            "sequential_scans": scans,
            "plans": plans,
            "notes": notes,
        },
    )


if __name__ == "__main__":
    main()

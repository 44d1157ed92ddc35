"""A center's staff CSV export for 10,000 staff: memory growth of the streamed export beside
the same export built whole in memory.

Builds a throw-away test database (SQLite under ATTUNE_VAR_DIR, or DATABASE_URL) with one
center whose 10,000 staff joined, hold a seat in a contracted training (a third finished it)
and half of whom share their portfolio. Each way of exporting then runs in its own fresh
process, so that its peak resident memory (``VmHWM``, reset just before the export) is
its own:

* streaming: ``export_lines`` as the export view streams it (the roster read in batches,
  each line handed on and forgotten);
* whole: the same lines from the roster read in one batch and joined into one string, as a
  response built in memory would hold them.

Growth is the peak minus the resident memory just before the export starts, after a warm-up
export of a few rows (a process's first export imports modules and fills caches once,
whatever the number of rows). Target: the streamed export grows by less than 50 MB. Writes
benchmarks/results/center_export.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

from benchmarks._report import figure, write  # noqa: E402

STAFF = 10_000
SLUG = "sunrise"
TARGET_MB = 50


def resident_bytes(field: str = "VmRSS") -> int:
    """This process's resident memory (``VmHWM``: its peak since ``reset_peak``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def reset_peak() -> None:
    """Start the peak afresh (Linux ≥ 4.0): start-up and warm-up peaked higher than an
    export, and ``getrusage``'s ``ru_maxrss`` would report their peak instead."""
    Path("/proc/self/clear_refs").write_text("5")


def child(way: str) -> None:
    """Run one export in this process and print what it measured as JSON."""
    import django

    django.setup()
    from centers.dashboard import DashboardFilters, export_lines
    from lms.organizations.models import Organization

    center = Organization.objects.get(slug=SLUG)
    # Warm up on the few people named "…00001": the first export imports modules and fills
    # caches once per process, which is not growth with the number of rows.
    started = resident_bytes()
    for _ in export_lines(center=center, filters=DashboardFilters(q="00001")):
        pass
    filters = DashboardFilters()
    reset_peak()
    before = resident_bytes()
    started = time.perf_counter()
    lines = size = 0
    if way == "streaming":
        for line in export_lines(center=center, filters=filters):
            lines += 1
            size += len(line.encode())
    else:
        text = "".join(export_lines(center=center, filters=filters, batch=STAFF * 2))
        lines, size = text.count("\n"), len(text.encode())
    seconds = time.perf_counter() - started
    peak = resident_bytes("VmHWM")
    print(
        json.dumps(
            {
                "way": way,
                "lines": lines,
                "bytes": size,
                "seconds": round(seconds, 3),
                "rss_at_start": started,
                "rss_before": before,
                "rss_peak": peak,
                "growth": peak - before,
            }
        )
    )


def seed() -> None:
    from django.core.management import call_command

    from lms.organizations.models import ContractTraining
    from tests.centers.builders import center_with_manager, contract
    from tests.centers.test_dashboard import roster_of
    from tests.courses.factories import association, training

    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    lakes = association("great-lakes", name="Great Lakes Association")
    course = training(lakes, "Reading a baby's cues", require_evaluation=False)
    center, _ = center_with_manager(slug=SLUG)
    made = contract(lakes, center, [], seats=STAFF, title="Large contract")
    ContractTraining.objects.create(contract=made, training=course)
    roster_of(center, made, course, STAFF)


def run_child(way: str, database_name: str) -> dict:
    env = {**os.environ, "ATTUNE_TEST_DATABASE_NAME": database_name}
    done = subprocess.run(
        [sys.executable, __file__, "--child", way],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"the {way} export failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["streaming", "whole"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    import django

    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        database = connection.vendor
        print(f"Seeding a center with {STAFF:,} staff …", flush=True)
        seed()
        test_name = str(connection.settings_dict["NAME"])
        connection.close()
        streaming = run_child("streaming", test_name)
        whole = run_child("whole", test_name)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if streaming["lines"] != STAFF + 1 or whole["bytes"] != streaming["bytes"]:
        raise SystemExit(f"the two exports differ: {streaming} {whole}")
    mb = 1_000_000
    print(f"{'export':12}{'lines':>8}{'seconds':>10}{'RSS growth':>14}")
    for result in (streaming, whole):
        print(
            f"{result['way']:12}{result['lines']:>8}{result['seconds']:>10.2f}"
            f"{result['growth'] / mb:>11.1f} MB"
        )
    write(
        "center_export",
        title=f"Center staff CSV export of {STAFF:,} staff ({database})",
        figures=[
            figure(
                "streamed export: peak RSS growth",
                round(streaming["growth"] / mb, 1),
                target=TARGET_MB,
                relation="<",
                unit="MB",
            ),
            figure(
                "export built whole: peak RSS growth", round(whole["growth"] / mb, 1), unit="MB"
            ),
            figure(
                "streamed growth ÷ whole growth",
                round(streaming["growth"] / max(whole["growth"], 1), 3),
            ),
            figure("CSV size", round(streaming["bytes"] / mb, 1), unit="MB"),
        ],
        data={"database": database, "staff": STAFF, "streaming": streaming, "whole": whole},
    )


if __name__ == "__main__":
    main()

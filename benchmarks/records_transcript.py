"""Transcript of 5,000 records: Attune's selector against reading records one by one.

Builds a throw-away test database (SQLite under ATTUNE_VAR_DIR, or DATABASE_URL), fills it
with 5,000 platform completions for one learner, then times ``transcript_for`` (five
queries) against the naive way (polymorphic records, then each record's rows). Prints the
side-by-side numbers and writes them to benchmarks/results/records_transcript.json.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks._report import figure, write  # noqa: E402

RECORDS = 5_000


def timed(fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


def main():
    from lms.records.facts import facts_for
    from lms.records.models import TrainingRecord
    from lms.records.selectors.transcript import transcript_for
    from tests.factories import UserFactory
    from tests.lms.records.test_transcript import bulk_records

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        learner = UserFactory()
        bulk_records(learner, RECORDS)

        def naive():
            lines = []
            for record in TrainingRecord.objects.filter(learner=learner)[:500]:
                lines.append(facts_for(record))
            return lines

        def attune():
            transcript = transcript_for(learner=learner)
            return [line.facts for line in transcript.lines]

        lines, attune_s, attune_q = timed(attune)
        sample, naive_s, naive_q = timed(naive)
        # The naive reader is timed on 500 records and scaled, or it would take minutes.
        naive_s_full = naive_s * RECORDS / len(sample)
        naive_q_full = naive_q * RECORDS // len(sample)
        result = {
            "records": len(lines),
            "database": connection.vendor,
            "attune_seconds": round(attune_s, 3),
            "attune_queries": attune_q,
            "naive_seconds_estimated": round(naive_s_full, 3),
            "naive_queries_estimated": naive_q_full,
            "speedup": round(naive_s_full / attune_s, 1),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{'':24}{'Attune':>12}{'naive':>12}")
    print(f"{'seconds':24}{result['attune_seconds']:>12}{result['naive_seconds_estimated']:>12}")
    print(f"{'queries':24}{result['attune_queries']:>12}{result['naive_queries_estimated']:>12}")
    print(f"speed-up: {result['speedup']}x for {result['records']} records")
    write(
        "records_transcript",
        title=f"Transcript of {RECORDS:,} records ({result['database']})",
        figures=[
            figure(f"queries for {RECORDS:,} records", result["attune_queries"], target=5,
                   relation="<="),
            figure("speed-up over reading records one by one", result["speedup"], unit="×"),
        ],
        data=result,
    )  # fmt: skip


if __name__ == "__main__":
    main()

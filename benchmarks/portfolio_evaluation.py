"""Portfolio of 5,000 records: Attune's evaluation against reading records one by one.

Builds a throw-away test database on PostgreSQL (DATABASE_URL if it names PostgreSQL, else
the local server at 127.0.0.1:5432 if it answers, else SQLite under ATTUNE_VAR_DIR), gives one
learner 5,000 platform completions and a rule set with training, area, RSC and checklist
rules, then times ``evaluate_portfolio`` (five queries: the rules with the learner's ticks,
then records, area hours, facilitators, amendments) against the naive way (polymorphic
records, then each record's rows), the pure ``rules.evaluation.evaluate`` on its own, and
the CSV/JSON export. Prints the side-by-side numbers and writes
benchmarks/results/portfolio_evaluation.json.
"""

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import figure, setup_django, write  # noqa: E402

POSTGRES = setup_django(postgres=True)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.records_transcript import timed  # noqa: E402

RECORDS = 5_000
ON = datetime.date(2025, 1, 1)


def main():
    from lms.competencies.models import EndorsementCategory
    from lms.endorsement import exports
    from lms.endorsement.rules.evaluation import evaluate
    from lms.endorsement.selectors.exports import export_data
    from lms.endorsement.selectors.facts import portfolio_facts
    from lms.endorsement.selectors.portfolio import evaluate_portfolio
    from lms.endorsement.selectors.requirements import rule_set_in_effect
    from lms.records.facts import facts_for
    from lms.records.models import TrainingRecord
    from tests.factories import OrganizationFactory, UserFactory
    from tests.lms.endorsement.factories import requirement_set
    from tests.lms.records.test_transcript import bulk_records

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        learner, association = UserFactory(), OrganizationFactory()
        category = EndorsementCategory.objects.get(code="IFS")
        bulk_records(learner, RECORDS)
        requirement_set(
            association,
            rules=[
                {"kind": "training_hours", "min_hours": 30},
                {"kind": "dei_hours", "min_hours": 3},
                {"kind": "area_hours", "min_hours": 10, "area": "DSS"},
                {"kind": "rsc_hours", "min_hours": 24, "lookback_months": 24},
                {"kind": "checklist", "checklist_item": "references"},
            ],
        )
        args = {"learner": learner, "association": association, "category": category}

        def attune():
            return evaluate_portfolio(kind="initial", on=ON, **args)

        def naive():
            sample = []
            for record in TrainingRecord.objects.filter(learner=learner)[:500]:
                facts = facts_for(record)
                sample.append((facts.duration_hours, facts.hours_by_area))
            return sample

        result, attune_s, attune_q = timed(attune)
        sample, naive_s, naive_q = timed(naive)
        found = rule_set_in_effect(kind="initial", on=ON, **args)
        facts = portfolio_facts(learner=learner)
        _, pure_s, _ = timed(lambda: evaluate(found.rule_set, facts, on=ON))
        data, data_s, data_q = timed(lambda: export_data(learner=learner))
        _, csv_s, _ = timed(lambda: exports.training_csv(data))
        _, json_s, _ = timed(lambda: exports.export_json(data))
        # The naive reader is timed on 500 records and scaled, or it would take minutes.
        naive_s_full = naive_s * RECORDS / len(sample)
        out = {
            "records": len(result.facts),
            "database": connection.vendor,
            "attune_seconds": round(attune_s, 3),
            "attune_queries": attune_q,
            "naive_seconds_estimated": round(naive_s_full, 3),
            "naive_queries_estimated": naive_q * RECORDS // len(sample),
            "speedup": round(naive_s_full / attune_s, 1),
            "pure_evaluate_seconds": round(pure_s, 4),
            "export_read_seconds": round(data_s, 3),
            "export_read_queries": data_q,
            "export_csv_seconds": round(csv_s, 3),
            "export_json_seconds": round(json_s, 3),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{'':28}{'Attune':>12}{'naive':>12}")
    print(f"{'seconds':28}{out['attune_seconds']:>12}{out['naive_seconds_estimated']:>12}")
    print(f"{'queries':28}{out['attune_queries']:>12}{out['naive_queries_estimated']:>12}")
    print(f"speed-up: {out['speedup']}x for {out['records']} records ({out['database']})")
    print(
        f"pure evaluation {out['pure_evaluate_seconds']} s; export read "
        f"{out['export_read_seconds']} s in {out['export_read_queries']} queries, CSV "
        f"{out['export_csv_seconds']} s, JSON {out['export_json_seconds']} s"
    )
    database = connection.vendor
    notes = [] if POSTGRES else ["PostgreSQL was not reachable: measured on SQLite."]
    write(
        "portfolio_evaluation" + ("_postgresql" if database == "postgresql" else ""),
        title=f"Portfolio evaluation of {RECORDS:,} records ({database})",
        figures=[
            figure(f"queries to evaluate {RECORDS:,} records", out["attune_queries"], target=5,
                   relation="<="),
            figure("speed-up over reading records one by one", out["speedup"], unit="×"),
        ],
        data={**out, "notes": notes},
    )  # fmt: skip


if __name__ == "__main__":
    main()

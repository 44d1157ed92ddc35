"""The pure evaluation: no database, no Django; plain facts and rule sets."""

import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from lms.endorsement.rules.cycles import Cycle, cycle_containing
from lms.endorsement.rules.evaluation import evaluate
from lms.endorsement.rules.facts import AreaInfo, RecordFact, Standing, TickFact
from lms.endorsement.rules.readiness import readiness
from lms.endorsement.rules.rule_sets import (
    AppliesTo,
    Rule,
    RuleKind,
    RuleSet,
    SetKind,
    Window,
    WindowKind,
)
from lms.endorsement.rules.words import missing_in_words

day = datetime.date
_ids = iter(range(1, 10**6))


def fact(on, hours, **kw):
    kw.setdefault("tier", "platform_verified")
    kw.setdefault("area_hours", (("TF", D(hours)),) if not kw.get("is_rsc") else ())
    return RecordFact(record_id=next(_ids), completed_on=on, hours=D(hours), **kw)


def renewal(*rules, window=None, **kw):
    window = window or Window(WindowKind.CALENDAR, 1, 12, 31)
    return RuleSet(kind=SetKind.RENEWAL, rules=rules, window=window, **kw)


def initial(*rules, **kw):
    return RuleSet(kind=SetKind.INITIAL, rules=rules, **kw)


TRAINING_15 = Rule(RuleKind.TRAINING_HOURS, D(15))
DEI_1 = Rule(RuleKind.DEI_HOURS, D(1))


def test_calendar_renewal_counts_only_the_current_year_across_the_year_boundary():
    rule_set = renewal(TRAINING_15)
    facts = [fact(day(2024, 12, 31), "15"), fact(day(2025, 1, 1), "14.75")]

    on_new_years_eve = evaluate(rule_set, facts, on=day(2024, 12, 31))
    assert on_new_years_eve.cycle == Cycle(day(2024, 1, 1), day(2024, 12, 31), day(2024, 12, 31))
    assert on_new_years_eve.results[0].met
    assert on_new_years_eve.results[0].record_ids == (facts[0].record_id,)

    next_day = evaluate(rule_set, facts, on=day(2025, 1, 1))
    result = next_day.results[0]
    assert next_day.cycle.start == day(2025, 1, 1)
    assert (result.achieved, result.gap, result.met) == (D("14.75"), D("0.25"), False)
    assert missing_in_words(next_day) == [
        "0.25 hours more of training in this cycle (14.75 of 15 so far)."
    ]


def test_anniversary_cycle_spans_the_year_boundary():
    rule_set = renewal(TRAINING_15, window=Window(WindowKind.ANNIVERSARY, 1))
    standing = Standing(endorsed_on=day(2023, 7, 1))
    facts = [fact(day(2023, 12, 20), "7.5"), fact(day(2024, 1, 10), "7.5")]

    evaluation = evaluate(rule_set, facts, on=day(2024, 3, 1), standing=standing)

    assert evaluation.cycle == Cycle(day(2023, 7, 1), day(2024, 6, 30), day(2024, 6, 30))
    assert evaluation.results[0].met
    after = evaluate(rule_set, facts, on=day(2024, 7, 1), standing=standing)
    assert after.cycle.start == day(2024, 7, 1)
    assert after.results[0].achieved == 0


def test_anniversary_cycle_needs_the_endorsement_date():
    assert (
        cycle_containing(Window(WindowKind.ANNIVERSARY), day(2024, 1, 1), endorsed_on=None) is None
    )


THREE_YEARS = Window(WindowKind.CALENDAR, 3, 12, 31)


@pytest.mark.parametrize(
    ("window", "on", "expected"),
    [
        # Three-year calendar cycles anchored on the year of endorsement (2022).
        (THREE_YEARS, day(2024, 12, 31), (day(2022, 1, 1), day(2024, 12, 31))),
        (THREE_YEARS, day(2025, 1, 1), (day(2025, 1, 1), day(2027, 12, 31))),
        # Two-year anniversary cycles from 15 March 2022.
        (Window(WindowKind.ANNIVERSARY, 2), day(2024, 3, 14), (day(2022, 3, 15), day(2024, 3, 14))),
        (Window(WindowKind.ANNIVERSARY, 2), day(2024, 3, 15), (day(2024, 3, 15), day(2026, 3, 14))),
    ],
)
def test_multi_year_cycles(window, on, expected):
    cycle = cycle_containing(window, on, endorsed_on=day(2022, 3, 15))
    assert (cycle.start, cycle.end) == expected


def test_multi_year_cycle_adds_hours_over_every_year_of_the_cycle():
    rule_set = renewal(Rule(RuleKind.TRAINING_HOURS, D(45)), window=Window(WindowKind.CALENDAR, 3))
    standing = Standing(endorsed_on=day(2022, 6, 1))
    facts = [
        fact(day(2022, 2, 1), "15"),
        fact(day(2023, 5, 1), "15"),
        fact(day(2024, 11, 1), "14.75"),
    ]

    short = evaluate(rule_set, facts, on=day(2024, 12, 1), standing=standing)
    assert (short.results[0].achieved, short.results[0].gap) == (D("44.75"), D("0.25"))
    met = evaluate(
        rule_set, [*facts, fact(day(2024, 12, 1), "0.25")], on=day(2024, 12, 1), standing=standing
    )
    assert met.results[0].met
    assert met.cycle.due_on == day(2024, 12, 31)


@pytest.mark.parametrize(
    ("month", "day_", "due"),
    [(1, 31, day(2025, 1, 31)), (12, 15, day(2024, 12, 15)), (12, 31, day(2024, 12, 31))],
)
def test_due_date_is_the_occurrence_nearest_the_end_of_the_cycle(month, day_, due):
    cycle = cycle_containing(
        Window(WindowKind.CALENDAR, 1, month, day_), day(2024, 5, 1), endorsed_on=None
    )
    assert cycle.due_on == due


def test_dei_requirement_counts_only_dei_training():
    rule_set = renewal(TRAINING_15, DEI_1)
    on = day(2025, 6, 1)
    facts = [
        fact(day(2025, 2, 1), "14"),
        fact(day(2025, 3, 1), "0.75", dei=True),
        # An RSC session is not training, whatever it is flagged as.
        fact(day(2025, 3, 2), "2", dei=True, is_rsc=True, tier="provider_attested"),
    ]
    evaluation = evaluate(rule_set, facts, on=on)
    training, dei = evaluation.results
    assert (training.achieved, training.gap) == (D("14.75"), D("0.25"))
    assert (dei.achieved, dei.gap, dei.met) == (D("0.75"), D("0.25"), False)
    assert "0.25 hours more of DEI training in this cycle (0.75 of 1 so far)." in missing_in_words(
        evaluation
    )

    facts.append(fact(day(2025, 4, 1), "0.25", dei=True))
    training, dei = evaluate(rule_set, facts, on=on).results
    assert training.met and dei.met
    assert dei.achieved == D(1)


def test_rsc_hours_declined_sessions_do_not_count_pending_ones_do():
    rule = Rule(RuleKind.RSC_HOURS, D(12))
    facts = [
        fact(day(2025, 1, 5), "10", is_rsc=True, tier="provider_attested"),
        fact(day(2025, 1, 6), "1.75", is_rsc=True, tier="self_reported", rsc_pending=True),
        fact(day(2025, 1, 7), "5", is_rsc=True, tier="self_reported", rsc_declined=True),
        fact(day(2025, 1, 8), "20"),  # training is not RSC
    ]
    result = evaluate(renewal(rule), facts, on=day(2025, 6, 1)).results[0]
    assert (result.achieved, result.gap) == (D("11.75"), D("0.25"))
    assert result.hours_by_tier == {"provider_attested": D("10"), "self_reported": D("1.75")}
    assert result.verified == D(10)


def test_rules_for_rsc_providers_and_by_years_endorsed():
    rules = (
        Rule(RuleKind.RSC_TOPIC_HOURS, D(3), applies_to=AppliesTo.RSC_PROVIDERS),
        Rule(RuleKind.RSC_HOURS, D(12), applies_to=AppliesTo.ENDORSED_UNDER, condition_years=3),
        Rule(RuleKind.RSC_HOURS, D(10), applies_to=AppliesTo.ENDORSED_AT_LEAST, condition_years=3),
    )
    on = day(2025, 6, 1)
    facts = [fact(day(2025, 2, 1), "10", is_rsc=True, tier="provider_attested")]

    unknown = evaluate(renewal(*rules), facts, on=on)
    assert [r.rule.min_hours for r in unknown.results] == [D(12)]
    assert len(unknown.not_applicable) == 2

    new = evaluate(
        renewal(*rules),
        facts,
        on=on,
        standing=Standing(endorsed_on=day(2022, 6, 2), provides_rsc=True),
    )
    assert [(r.rule.kind, r.required, r.met) for r in new.results] == [
        (RuleKind.RSC_TOPIC_HOURS, D(3), False),
        (RuleKind.RSC_HOURS, D(12), False),
    ]
    three_years = evaluate(
        renewal(*rules), facts, on=on, standing=Standing(endorsed_on=day(2022, 6, 1))
    )
    assert [(r.required, r.met) for r in three_years.results] == [(D(10), True)]


def test_rsc_topic_counts_training_and_sessions_about_providing_rsc():
    rule = Rule(RuleKind.RSC_TOPIC_HOURS, D(15))
    facts = [
        fact(day(2024, 1, 1), "12", rsc_topic=True),
        fact(day(2024, 2, 1), "2.75", rsc_topic=True, is_rsc=True, tier="provider_attested"),
        fact(day(2024, 3, 1), "30"),
    ]
    result = evaluate(initial(rule), facts, on=day(2025, 1, 1)).results[0]
    assert (result.achieved, result.gap) == (D("14.75"), D("0.25"))


def test_lookback_counts_only_the_last_months():
    rule = Rule(RuleKind.RSC_HOURS, D(24), lookback_months=24)
    facts = [
        fact(day(2023, 6, 30), "4", is_rsc=True),  # one day too old
        fact(day(2023, 7, 1), "24", is_rsc=True),
    ]
    result = evaluate(initial(rule), facts, on=day(2025, 6, 30)).results[0]
    assert result.start == day(2023, 7, 1)
    assert result.achieved == D(24)


def test_area_rules_coverage_and_words():
    areas = [
        AreaInfo("TF", "Theoretical Foundations", 1),
        AreaInfo("DSS", "Direct Service Skills", 4),
        AreaInfo("SE", "Systems Expertise", 3),
    ]
    rule_set = initial(
        Rule(RuleKind.TRAINING_HOURS, D(10)),
        Rule(RuleKind.AREA_HOURS, D(3), area_code="DSS", area_name="Direct Service Skills"),
        expects_every_area=True,
    )
    facts = [fact(day(2024, 1, 1), "10", area_hours=(("TF", D("7.25")), ("DSS", D("2.75"))))]
    evaluation = evaluate(rule_set, facts, on=day(2025, 1, 1), areas=areas)
    by_code = {a.area.code: a for a in evaluation.areas}
    assert by_code["DSS"].gap == D("0.25")
    assert by_code["TF"].hours == D("7.25") and by_code["TF"].required is None
    assert not by_code["SE"].covered
    assert evaluation.missing_area_codes == ("DSS", "SE")
    assert missing_in_words(evaluation) == [
        "0.25 hours more of training in Direct Service Skills (2.75 of 3 so far).",
        "No training yet in Systems Expertise.",
    ]
    assert not evaluation.met


def test_records_for_the_other_age_band_only_do_not_count():
    rule_set = initial(Rule(RuleKind.TRAINING_HOURS, D(3)), category_age_band="infant")
    facts = [
        fact(day(2024, 1, 1), "1", age_band="infant"),
        fact(day(2024, 1, 2), "1", age_band="both"),
        fact(day(2024, 1, 3), "0.75"),
        fact(day(2024, 1, 4), "5", age_band="early_childhood"),
    ]
    evaluation = evaluate(rule_set, facts, on=day(2025, 1, 1))
    assert evaluation.results[0].achieved == D("2.75")
    assert evaluation.other_age_band_ids == (facts[3].record_id,)


def test_checklist_tick_must_fall_in_the_cycle():
    rule_set = renewal(Rule(RuleKind.CHECKLIST, checklist_item="code_of_ethics"))
    last_year = Standing(ticks=(TickFact("code_of_ethics", day(2024, 12, 31), True),))
    assert not evaluate(rule_set, [], on=day(2025, 1, 1), standing=last_year).results[0].met
    this_year = Standing(ticks=(TickFact("code_of_ethics", day(2025, 1, 1), False),))
    result = evaluate(rule_set, [], on=day(2025, 1, 1), standing=this_year).results[0]
    assert result.met and not result.tick.has_evidence


def test_every_tier_counts_and_is_shown():
    facts = [
        fact(day(2024, 1, 1), "1"),
        fact(day(2024, 1, 2), "2", tier="attendance_verified"),
        fact(day(2024, 1, 3), "3", tier="self_reported"),
    ]
    result = evaluate(
        initial(Rule(RuleKind.TRAINING_HOURS, D(6))), facts, on=day(2025, 1, 1)
    ).results[0]
    assert result.met
    assert result.hours_by_tier == {
        "platform_verified": D(1),
        "attendance_verified": D(2),
        "self_reported": D(3),
    }
    assert set(result.record_ids) == {f.record_id for f in facts}


def test_readiness_lists_missing_and_unverified():
    rule_set = initial(
        Rule(RuleKind.TRAINING_HOURS, D(4)),
        Rule(RuleKind.RSC_HOURS, D(2)),
        Rule(RuleKind.CHECKLIST, checklist_item="references"),
        Rule(RuleKind.CHECKLIST, checklist_item="education"),
    )
    facts = [
        fact(day(2024, 1, 1), "1"),
        fact(day(2024, 1, 2), "3", tier="self_reported", title="Circle of Security"),
        fact(day(2024, 1, 3), "1", tier="self_reported", is_rsc=True, rsc_pending=True),
    ]
    standing = Standing(ticks=(TickFact("education", day(2020, 5, 1), False),))
    items = readiness(evaluate(rule_set, facts, on=day(2025, 1, 1), standing=standing), facts)
    assert [(i.status, i.text) for i in items] == [
        ("missing", "1 hour more of reflective supervision/consultation (1 of 2 so far)."),
        ("missing", "Reference ratings: not ticked yet."),
        ("unverified", "Training hours: 3 of the 4 hours counted are self-reported."),
        ("unverified", "Education: ticked on 2020-05-01 with no evidence uploaded."),
        ("unverified", "1 RSC session (1 hour) still awaiting your supervisor's co-signature."),
        (
            "unverified",
            "“Circle of Security” (2024-01-02) is self-reported with no evidence attached.",
        ),
    ]


def test_the_rules_package_imports_only_the_standard_library():
    """Every module of ``lms.endorsement.rules`` is pure: the standard library and its
    neighbours in the package, nothing else (no Django, no other app)."""
    import ast
    import sys

    from lms.endorsement import rules

    modules = sorted(Path(rules.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {
            (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
            if not (isinstance(node, ast.ImportFrom) and node.level)
        }
        assert imported <= sys.stdlib_module_names, (module.name, imported)
        assert all(
            node.level == 1
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level
        ), module.name


def test_readiness_names_a_few_self_reported_records_then_counts_the_rest():
    facts = [fact(day(2024, 1, d), "1", tier="self_reported", title=f"T{d}") for d in range(1, 13)]
    rule_set = initial(Rule(RuleKind.TRAINING_HOURS, D(12)))
    items = readiness(evaluate(rule_set, facts, on=day(2025, 1, 1)), facts)
    named = [i.text for i in items if i.text.startswith("“")]
    assert len(named) == 10
    assert (
        items[-1].text == "2 more self-reported records with no evidence attached (see My records)."
    )

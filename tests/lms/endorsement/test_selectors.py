"""Rules in effect by date, the records read as facts, the five-query evaluation and
suggestions from a catalog's suggester."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import RequirementRule, RequirementSet
from lms.endorsement.rules.rule_sets import RuleKind
from lms.endorsement.selectors.facts import portfolio_facts
from lms.endorsement.selectors.portfolio import evaluate_portfolio
from lms.endorsement.selectors.suggestions import suggested_trainings
from lms.endorsement.services.checklist import tick_checklist_item
from lms.endorsement.services.requirements import start_new_version
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.rsc import log_rsc_session
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.records.factories import issue
from tests.lms.records.test_transcript import bulk_records

from .factories import requirement_set

pytestmark = pytest.mark.django_db

IFS = "IFS"


@pytest.fixture
def association(framework):
    return OrganizationFactory(slug="great-lakes-test")


def category(code=IFS):
    return EndorsementCategory.objects.get(code=code)


def test_two_versions_on_either_side_of_their_effective_date(association):
    old = requirement_set(
        association,
        kind="renewal",
        version="2020 rules",
        window_kind="calendar",
        rules=[{"kind": "training_hours", "min_hours": 15}, {"kind": "dei_hours", "min_hours": 1}],
    )
    new = start_new_version(
        requirement_set=old, version="2025 rules", effective_from=datetime.date(2025, 1, 1)
    )
    new.rules.filter(kind="training_hours").update(min_hours=D(20))
    learner = UserFactory()
    for day in (datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)):
        issue(learner, completed_on=day, duration_hours=D("17"), area_hours={"TF": D("17")})

    def check(on):
        return evaluate_portfolio(
            learner=learner, association=association, category=category(), kind="renewal", on=on
        )

    old.refresh_from_db()
    assert old.effective_to == datetime.date(2024, 12, 31)
    last_old_day = check(datetime.date(2024, 12, 31))
    assert last_old_day.requirement_set == old
    training = last_old_day.evaluation.result_for(RuleKind.TRAINING_HOURS)
    assert (training.required, training.achieved, training.met) == (D(15), D(17), True)

    first_new_day = check(datetime.date(2025, 1, 1))
    assert first_new_day.requirement_set == new
    training = first_new_day.evaluation.result_for(RuleKind.TRAINING_HOURS)
    assert (training.required, training.achieved, training.gap) == (D(20), D(17), D(3))
    # The copy kept the other rules.
    assert first_new_day.evaluation.result_for(RuleKind.DEI_HOURS).required == D(1)
    assert check(datetime.date(2019, 12, 31)) is None


def test_overlapping_versions_and_bad_rules_are_refused(association):
    current = requirement_set(association, version="Current")
    overlapping = RequirementSet(
        association=association,
        category=current.category,
        kind="initial",
        version="Overlap",
        effective_from=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError, match="overlap the version “Current”"):
        overlapping.full_clean()
    with pytest.raises(ValidationError):
        start_new_version(
            requirement_set=current, version="Too early", effective_from=datetime.date(2019, 1, 1)
        )
    bad_rows = [
        {"kind": "training_hours"},  # no hours
        {"kind": "checklist", "checklist_item": ""},
        {"kind": "area_hours", "min_hours": D(1)},  # no area
        {"kind": "rsc_hours", "min_hours": D(1), "applies_to": "endorsed_under"},  # no years
    ]
    for values in bad_rows:
        rule = RequirementRule(requirement_set=current, **values)
        with pytest.raises(ValidationError):
            rule.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            rule.save()


def test_facts_use_amended_values_and_leave_out_revoked_records(association):
    learner = UserFactory()
    amended = issue(learner, duration_hours=D("2"), area_hours={"TF": D("2")}, dei=False)
    amend_record(
        record=amended,
        by=learner,
        reason="Wrong hours",
        duration_hours=D("3"),
        area_hours={"DSS": D("3")},
        dei=True,
    )
    revoked = issue(learner)
    revoke_record(record=revoked, by=learner, reason="Duplicate")
    facts = {f.record_id: f for f in portfolio_facts(learner=learner)}
    assert set(facts) == {amended.pk}
    fact = facts[amended.pk]
    assert (fact.hours, fact.dei, fact.area_hours) == (D("3"), True, (("DSS", D("3.00")),))


def test_evaluation_of_5000_records_takes_at_most_five_queries(
    association, django_assert_max_num_queries
):
    learner = UserFactory()
    rows = bulk_records(learner, 5_000)
    revoke_record(record=rows[0], by=learner, reason="Duplicate")
    amend_record(
        record=rows[1],
        by=learner,
        reason="Typo",
        duration_hours=D("2.50"),
        area_hours={"TF": D("2"), "REF": D("0.50")},
    )
    log_rsc_session(
        learner=learner,
        session_date=datetime.date(2024, 1, 5),
        duration_hours=D("1"),
        session_format="group",
        supervisor_name="Sam Supervisor",
        supervisor_email="sam@example.org",
    )
    requirement_set(
        association,
        rules=[
            {"kind": "training_hours", "min_hours": 30},
            {"kind": "area_hours", "min_hours": 10, "area": "DSS"},
            {"kind": "rsc_hours", "min_hours": 24, "lookback_months": 24},
            {"kind": "checklist", "checklist_item": "references"},
        ],
    )
    tick_checklist_item(
        learner=learner,
        association=association,
        item="references",
        completed_on=datetime.date(2024, 2, 1),
    )

    ifs = category()
    with django_assert_max_num_queries(5):
        result = evaluate_portfolio(
            learner=learner,
            association=association,
            category=ifs,
            kind="initial",
            on=datetime.date(2025, 1, 1),
        )
    training, dss, rsc, references = result.evaluation.results
    assert training.achieved == D("1.50") * 4_998 + D("2.50")
    assert len(training.record_ids) == 4_999
    assert (dss.achieved, dss.gap) == (D(0), D(10))
    assert (rsc.achieved, rsc.hours_by_tier) == (D(1), {"self_reported": D(1)})
    assert references.met and references.tick.completed_on == datetime.date(2024, 2, 1)


def _suggest_two(**kwargs):
    return [
        {"title": "Law and policy basics", "url": "/catalog/law/", "hours_by_area": {"LRP": "1.5"}},
        {"title": "", "url": "/broken/"},
        {"title": "Bad hours", "url": "/bad/", "hours_by_area": {"LRP": "lots"}},
        {"title": "Script", "url": "javascript:alert(1)", "hours_by_area": {}},
        {"title": "Systems", "url": "https://example.org/se/", "hours_by_area": {"SE": 2}},
    ]


def _broken(**kwargs):
    raise RuntimeError("catalog unavailable")


def test_suggestions_come_from_the_suggester_safely(association):
    assert suggested_trainings(suggester=None, area_codes=["LRP"]) == []
    found = suggested_trainings(
        suggester=_suggest_two, area_codes=["LRP", "SE"], association=association, limit=5
    )
    assert [s.title for s in found] == ["Law and policy basics", "Systems"]
    assert found[0].fills(["LRP", "SE"]) == [("LRP", D("1.5"))]
    assert suggested_trainings(suggester=_suggest_two, area_codes=[]) == []
    assert suggested_trainings(suggester=_broken, area_codes=["LRP"]) == []

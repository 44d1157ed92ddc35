"""The shipped defaults: loaded idempotently for every association, editable, and correct at
the boundaries for every shipped category (exactly meeting, a quarter hour short)."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import RequirementRule, RequirementSet
from lms.endorsement.rules.evaluation import applies, evaluate
from lms.endorsement.rules.facts import RecordFact, Standing, TickFact
from lms.endorsement.rules.rule_sets import ChecklistItem, RuleKind
from lms.endorsement.rules.words import missing_in_words
from lms.endorsement.selectors.requirements import category_areas, requirement_sets_for, to_rule_set
from lms.endorsement.services.requirements import (
    DefaultsFileError,
    defaults_path,
    load_requirement_defaults,
)
from lms.organizations.models import OrganizationKind
from tests.factories import CenterFactory, OrganizationFactory

from .factories import requirement_set

pytestmark = pytest.mark.django_db

QUARTER = D("0.25")
ON = datetime.date(2025, 6, 30)
DONE = datetime.date(2025, 6, 1)
SHIPPED = json.loads(defaults_path().read_text())
SHIPPED_CATEGORIES = sorted({code for s in SHIPPED["sets"] for code in s["categories"]})


def test_defaults_cover_every_category_of_the_framework_for_both_kinds(framework):
    codes = set(EndorsementCategory.objects.values_list("code", flat=True))
    assert set(SHIPPED_CATEGORIES) == codes
    for kind in ("initial", "renewal"):
        covered = [c for s in SHIPPED["sets"] if s["kind"] == kind for c in s["categories"]]
        assert sorted(covered) == sorted(codes), kind


def test_loader_is_idempotent_and_never_overwrites(framework):
    first, second = OrganizationFactory(), OrganizationFactory()
    CenterFactory()  # centers get no rules
    call_command("load_requirement_defaults", verbosity=0)
    per_association = len(SHIPPED_CATEGORIES) * 2
    assert RequirementSet.objects.filter(association=first).count() == per_association
    assert RequirementSet.objects.count() == 2 * per_association
    assert not RequirementSet.objects.exclude(
        association__kind=OrganizationKind.ASSOCIATION
    ).exists()
    assert RequirementSet.objects.filter(is_default=True).count() == 2 * per_association

    edited = RequirementSet.objects.get(association=first, category__code="IFS", kind="renewal")
    rule = edited.rules.get(kind="training_hours")
    rule.min_hours = D(20)
    rule.save()
    edited.is_default = False
    edited.save()
    rules_before = RequirementRule.objects.count()

    result = load_requirement_defaults()
    assert (result.created, result.kept) == (0, 2 * per_association)
    assert RequirementRule.objects.count() == rules_before
    assert edited.rules.get(kind="training_hours").min_hours == D(20)

    # An association's own version of a category is never doubled by a default.
    third = OrganizationFactory()
    requirement_set(third, "IFA", kind="initial", version="Ours", rules=[])
    load_requirement_defaults(associations=[third])
    assert RequirementSet.objects.filter(association=third, category__code="IFA").count() == 2
    assert second.requirement_sets.count() == per_association


def test_a_broken_defaults_file_saves_nothing(framework, tmp_path):
    OrganizationFactory()
    broken = dict(SHIPPED)
    bad_rule = {"kind": "dei_hours", "min_hours": "-1"}
    broken["sets"] = [
        *SHIPPED["sets"],
        {"categories": ["IFA"], "kind": "initial", "rules": [bad_rule]},
    ]
    path = tmp_path / "defaults.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(DefaultsFileError, match="more than zero"):
        load_requirement_defaults(path=path)
    assert not RequirementSet.objects.exists()


# ---------------------------------------------------------------------------------------------
# Boundaries of every shipped category


def _spread(hours: D, codes: list[str]) -> tuple:
    """``hours`` over ``codes`` in quarter hours, every area getting some."""
    each = (hours / len(codes) / QUARTER).to_integral_value(rounding="ROUND_FLOOR") * QUARTER
    rows = [[code, each] for code in codes]
    rows[0][1] += hours - each * len(codes)
    return tuple((code, h) for code, h in rows if h > 0)


def _facts(required: dict, areas: list[str], shift: str | None = None) -> list[RecordFact]:
    """Records meeting every hours rule exactly; ``shift`` takes a quarter hour from one."""
    dei, topic = required.get("dei_hours", D(0)), required.get("rsc_topic_hours", D(0))
    rest = required.get("training_hours", D(0)) - dei - topic
    rsc = required.get("rsc_hours", D(0))
    if shift == "training_hours":
        rest -= QUARTER
    elif shift == "dei_hours":
        dei, rest = dei - QUARTER, rest + QUARTER
    elif shift == "rsc_topic_hours":
        topic, rest = topic - QUARTER, rest + QUARTER
    elif shift == "rsc_hours":
        rsc -= QUARTER
    facts = []

    def add(hours, **kw):
        facts.append(RecordFact(len(facts) + 1, DONE, hours, "platform_verified", **kw))

    if rest > 0:
        add(rest, area_hours=_spread(rest, areas))
    if dei > 0:
        add(dei, dei=True, area_hours=(("TF", dei),))
    if topic > 0:
        add(topic, rsc_topic=True, area_hours=(("REF", topic),))
    if rsc > 0:
        facts.append(RecordFact(len(facts) + 1, DONE, rsc, "provider_attested", is_rsc=True))
    return facts


@pytest.mark.parametrize("kind", ["initial", "renewal"])
def test_every_shipped_category_at_its_boundaries(framework, kind):
    association = OrganizationFactory()
    load_requirement_defaults(associations=[association])
    standing_ticks = tuple(TickFact(item, DONE, True) for item in ChecklistItem)
    standing = Standing(
        endorsed_on=datetime.date(2024, 1, 15), provides_rsc=True, ticks=standing_ticks
    )
    checked = []
    for code in SHIPPED_CATEGORIES:
        category = EndorsementCategory.objects.get(code=code)
        found = (
            requirement_sets_for(association=association, category=category, kind=kind)
            .in_effect(ON)
            .first()
        )
        rule_set = to_rule_set(found, found.rules.all())
        areas = category_areas(category=category)
        applicable = [r for r in rule_set.rules if applies(r, standing, ON)]
        required = {r.kind.value: r.min_hours for r in applicable if r.min_hours}
        assert "training_hours" in required, code

        codes = [a.code for a in areas]
        exact = evaluate(rule_set, _facts(required, codes), on=ON, standing=standing, areas=areas)
        assert exact.met, (code, missing_in_words(exact))
        assert all(r.achieved == r.required for r in exact.results if not r.is_checklist), code

        for short_kind in required:
            facts = _facts(required, codes, shift=short_kind)
            short = evaluate(rule_set, facts, on=ON, standing=standing, areas=areas)
            unmet = [(r.rule.kind.value, r.gap) for r in short.unmet]
            assert unmet == [(short_kind, QUARTER)], (code, short_kind, unmet)
            checked.append((code, short_kind))

        first_item = next(r for r in applicable if r.kind == RuleKind.CHECKLIST)
        without = Standing(
            endorsed_on=standing.endorsed_on,
            provides_rsc=True,
            ticks=tuple(t for t in standing_ticks if t.item != first_item.checklist_item),
        )
        missing = evaluate(rule_set, _facts(required, codes), on=ON, standing=without, areas=areas)
        assert [r.rule.checklist_item for r in missing.unmet] == [first_item.checklist_item]
    assert {code for code, _ in checked} == set(SHIPPED_CATEGORIES)


def test_renewal_defaults_dei_hour_and_rsc_for_those_who_must_receive_it(framework):
    association = OrganizationFactory()
    load_requirement_defaults(associations=[association])

    def required(code):
        category = EndorsementCategory.objects.get(code=code)
        found = (
            requirement_sets_for(association=association, category=category, kind="renewal")
            .in_effect(ON)
            .first()
        )
        return {
            (r.kind, r.applies_to, r.min_hours) for r in to_rule_set(found, found.rules.all()).rules
        }

    ifa, ifs, mentor = required("IFA"), required("IFS"), required("IMHM-C")
    assert ("dei_hours", "everyone", D(1)) in ifa
    assert ("training_hours", "everyone", D(15)) in ifa
    assert ("rsc_topic_hours", "rsc_providers", D(3)) in ifa
    assert not any(kind == "rsc_hours" for kind, _, _ in ifa)
    assert ("rsc_hours", "everyone", D(12)) in ifs
    assert ("rsc_hours", "endorsed_under", D(12)) in mentor
    assert ("rsc_hours", "endorsed_at_least", D(10)) in mentor


def test_demo_associations_get_their_defaults(framework):
    from demo.loader import load_demo
    from demo.requirements import load_demo_requirements

    load_demo()  # the demo loads its associations' requirements itself
    assert RequirementSet.objects.count() == 2 * len(SHIPPED_CATEGORIES) * 2
    assert load_demo_requirements().created == 0
    slugs = set(RequirementSet.objects.values_list("association__slug", flat=True))
    assert slugs == {"great-lakes", "prairie"}

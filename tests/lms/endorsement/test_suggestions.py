"""The catalog's suggester (``courses.suggestions``) as the portfolio page passes it to
endorsement's ``suggested_trainings``."""

import datetime
from decimal import Decimal as D

import pytest

from courses.suggestions import suggest_trainings_for_areas
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Endorsement
from lms.endorsement.selectors.portfolio import renewal_deadline
from lms.endorsement.selectors.suggestions import (
    SuggestedTraining,
    rank_by_gaps_closed,
    suggested_trainings,
)
from tests.courses.factories import association, training

pytestmark = pytest.mark.django_db

catalog = suggest_trainings_for_areas


@pytest.fixture
def catalogs(framework, default_site):
    return association("lakes"), association("plains")


def test_live_public_trainings_covering_the_areas_own_catalog_first(
    catalogs, django_assert_max_num_queries
):
    lakes, plains = catalogs
    training(plains, "Policy in depth", hours={"LRP": "3"})
    training(lakes, "Policy basics", hours={"LRP": "1", "TF": "1"})
    training(lakes, "Only theory", hours={"TF": "2"})
    training(lakes, "Draft on systems", hours={"SE": "2"}, publish=False)
    training(plains, "Toddlers and systems", hours={"SE": "1.5"}, age_band="early_childhood")
    infant = EndorsementCategory.objects.get(code="IFS")

    # Warm Wagtail's site cache.
    suggested_trainings(suggester=catalog, area_codes=["LRP"], association=lakes)
    with django_assert_max_num_queries(4):
        found = suggested_trainings(
            suggester=catalog, area_codes=["LRP", "SE"], category=infant, association=lakes, limit=5
        )
    assert [s.title for s in found] == ["Policy basics", "Policy in depth"]
    basics = found[0]
    assert basics.hours_by_area == {"LRP": D("1.00"), "TF": D("1.00")}
    assert basics.fills(["LRP", "SE"]) == [("LRP", D("1.00"))]
    assert basics.provider == lakes.name
    assert basics.url.endswith("/policy-basics/")

    anywhere = suggested_trainings(suggester=catalog, area_codes=["SE"], limit=5)
    assert [s.title for s in anywhere] == ["Toddlers and systems"]
    assert (
        suggested_trainings(suggester=catalog, area_codes=["LRP", "SE"], limit=1)[0].title
        == "Policy in depth"
    )


def suggestion(title, hours, starts_on=None):
    return SuggestedTraining(
        title=title,
        url=f"/{title}/",
        hours_by_area={code: D(h) for code, h in hours.items()},
        starts_on=starts_on,
    )


def test_ranked_by_missing_hours_closed_not_by_raw_hours():
    gaps = {"TF": D("2"), "LRP": None}  # 2 hours short in TF; LRP has no training yet
    long_theory = suggestion("long-theory", {"TF": "10"})
    law_and_theory = suggestion("law-and-theory", {"TF": "1.5", "LRP": "1"})
    elsewhere = suggestion("elsewhere", {"DSS": "6"})
    ranked = rank_by_gaps_closed([long_theory, law_and_theory, elsewhere], gaps=gaps)
    assert [(s.title, s.closes_hours) for s in ranked] == [
        ("law-and-theory", D("2.5")),
        ("long-theory", D("2")),
    ]
    assert len(rank_by_gaps_closed([long_theory, law_and_theory], gaps=gaps, limit=1)) == 1


def test_a_training_starting_after_the_deadline_closes_nothing_before_it():
    due = datetime.date(2030, 12, 31)
    gaps = {"TF": D("3")}
    spring = suggestion("spring-cohort", {"TF": "3"}, starts_on=datetime.date(2031, 3, 1))
    december = suggestion("december-event", {"TF": "1"}, starts_on=datetime.date(2030, 12, 1))
    on_demand = suggestion("on-demand", {"TF": "2"})
    ranked = rank_by_gaps_closed([spring, december, on_demand], gaps=gaps, deadline=due)
    assert [s.title for s in ranked] == ["on-demand", "december-event"]
    assert [s.title for s in rank_by_gaps_closed([spring, december], gaps=gaps)] == [
        "spring-cohort",
        "december-event",
    ]


def test_a_catalog_may_say_when_a_training_starts():
    found = suggested_trainings(
        suggester=lambda **kw: [
            {
                "title": "Live",
                "url": "/live/",
                "hours_by_area": {"TF": "1"},
                "starts_on": "2030-05-02",
            },
            {
                "title": "Bad date",
                "url": "/bad/",
                "hours_by_area": {"TF": "1"},
                "starts_on": "soon",
            },
        ],
        area_codes=["TF"],
    )
    assert [(s.title, s.starts_on) for s in found] == [("Live", datetime.date(2030, 5, 2))]


def test_the_renewal_due_date_is_the_deadline_once_endorsed():
    assert renewal_deadline(None, None) is None
    held = Endorsement(renewal_due=datetime.date(2030, 12, 31))
    assert renewal_deadline(held, None) == datetime.date(2030, 12, 31)

"""The dashboard's summary: how many staff are on track for their target category and for
renewal, the readiness distribution and the hours per competency area, counted only from
what each person shares with the center, with a table beside every chart."""

import datetime
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from centers.summary import (
    ALL_MET,
    FEW_MET,
    HALF_MET,
    NO_REQUIREMENTS,
    NOT_SHARED,
    readiness_band,
    summarize,
)
from centers.values import Readiness
from lms.accounts.models import ConsentScope
from lms.accounts.services import revoke_consent
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Endorsement
from tests.centers.builders import staff
from tests.centers.test_dashboard import set_target, team  # noqa: F401 - a fixture
from tests.lms.endorsement.factories import requirement_set
from tests.lms.records.factories import issue


def readiness(met, total, kind="initial"):
    return Readiness("IFS", "Infant Family Specialist", kind, met == total, met, total)


def row(shares=True, ready=None, joined=True, hours=None):
    return SimpleNamespace(
        shares_portfolio=shares, readiness=ready, has_joined=joined, hours_by_area=hours or {}
    )


@pytest.mark.parametrize(
    ("person", "band"),
    [
        (row(ready=readiness(3, 3)), ALL_MET),
        (row(ready=readiness(2, 4)), HALF_MET),
        (row(ready=readiness(1, 3)), FEW_MET),
        (row(ready=readiness(0, 0)), NO_REQUIREMENTS),
        (row(ready=None), NO_REQUIREMENTS),
        (row(shares=False), NOT_SHARED),
        (row(shares=False, joined=False), NOT_SHARED),
    ],
)
def test_each_person_falls_in_one_readiness_band(person, band):
    assert readiness_band(person) == band


def test_on_track_means_every_requirement_met_for_the_set_in_effect():
    rows = [
        row(ready=readiness(2, 2)),
        row(ready=readiness(1, 2)),
        row(ready=readiness(1, 1, "renewal")),
        row(ready=None),
        row(shares=False, hours={"TF": Decimal("9")}),  # must never count in the chart
        row(shares=True, hours={"TF": Decimal("1.5"), "XX": Decimal("2")}),
    ]
    summary = summarize(rows, (("TF", "Theoretical foundations"), ("REF", "Reflection")))
    assert (summary.target.met, summary.target.total, summary.target.percent) == (1, 2, 50)
    assert (summary.renewal.met, summary.renewal.total) == (1, 1)
    assert [(p.key, p.value) for p in summary.hours] == [("TF", Decimal("1.5")), ("REF", 0)]
    assert [p.value for p in summary.readiness] == [2, 1, 0, 2, 1]
    assert summary.chart_data()["hours"]["values"] == [1.5, 0.0]


@pytest.fixture
def measured(team, great_lakes):  # noqa: F811 - the fixture imported above
    """Beside the team (Ivy invited, Pat joined without sharing, Sol sharing and 5.5 of 30
    hours): Una shares and meets the IFS requirements; Rae shares, holds IFS and meets its
    renewal requirements."""
    center = team["center"]
    ifs = EndorsementCategory.objects.get(code="IFS")
    requirement_set(
        great_lakes, "IFS", kind="renewal", rules=[{"kind": "training_hours", "min_hours": "2"}]
    )
    una = staff(center, "una@sunrise.test", name="Una Ready", share=True)
    issue(una.user, area_hours={"TF": Decimal("30")}, duration_hours=Decimal("30"))
    set_target(una.user, great_lakes)
    rae = staff(center, "rae@sunrise.test", name="Rae Renewing", share=True)
    Endorsement.objects.create(
        learner=rae.user,
        association=great_lakes,
        category=ifs,
        endorsed_on=datetime.date(2023, 6, 1),
        renewal_due=datetime.date(2026, 6, 30),
    )
    issue(rae.user, area_hours={"REF": Decimal("3")}, duration_hours=Decimal("3"))
    set_target(rae.user, great_lakes)
    return {**team, "una": una, "rae": rae}


def section(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def test_the_summary_counts_who_is_on_track_as_each_person_shares(client, measured):
    client.force_login(measured["manager"])
    response = client.get("/centers/sunrise/")
    summary = response.context["summary"]
    assert (summary.shown, summary.joined, summary.sharing) == (5, 4, 3)
    assert (summary.target.met, summary.target.total) == (1, 2)  # Una of Una and Sol
    assert (summary.renewal.met, summary.renewal.total) == (1, 1)  # Rae
    bands = {p.key: p.value for p in summary.readiness}
    assert bands == {ALL_MET: 2, HALF_MET: 0, FEW_MET: 1, NO_REQUIREMENTS: 0, NOT_SHARED: 2}
    hours = {p.key: p.value for p in summary.hours}
    assert hours["TF"] == Decimal("31.5") and hours["REF"] == Decimal("7")

    html = response.content.decode()
    # The summary comes before the table; each figure in words, with a bar.
    assert html.index('id="summary-heading"') < html.index('id="staff-heading"')
    target = section(html, 'data-figure="on-track-target"', "</li>")
    assert "On track for their target category" in target
    assert re.search(r"1 <small>of 2</small>", target)
    assert '<progress max="2" value="1"' in target
    assert re.search(
        r"1 <small>of 1</small>", section(html, 'data-figure="on-track-renewal"', "</li>")
    )


def test_every_chart_has_a_label_a_table_and_its_numbers_for_the_script(client, measured):
    client.force_login(measured["manager"])
    html = client.get("/centers/sunrise/").content.decode()
    readiness_canvas = section(html, 'id="readiness-chart"', ">")
    assert 'role="img"' in readiness_canvas
    assert "Every requirement met 2; Half or more met 0; Fewer than half met 1" in readiness_canvas
    table = section(html, 'data-chart-table="readiness"', "</table>")
    assert re.search(
        r'data-band="all_met"><th scope="row">Every requirement met</th><td class="num">2<', table
    )
    hours_canvas = section(html, 'id="hours-chart"', ">")
    assert "Theoretical" in hours_canvas and "31.5" in hours_canvas
    assert re.search(
        r'data-area="TF">.*?31\.50<', section(html, 'data-chart-table="hours"', "</table>")
    )

    data = json.loads(
        section(html, 'id="center-dashboard-charts" type="application/json">', "</script>").split(
            ">", 1
        )[1]
    )
    assert data["readiness"]["values"] == [2, 0, 1, 0, 2]
    assert 31.5 in data["hours"]["values"] and 7.0 in data["hours"]["values"]
    # Chart code is a static file (the policy allows no inline script).
    assert (
        "/static/vendor/chart.js/chart.umd.min.js" in html
        and "/static/centers/dashboard.js" in html
    )


def test_taking_consent_back_takes_a_person_out_of_the_summary_at_once(client, measured):
    client.force_login(measured["manager"])
    revoke_consent(
        user=measured["una"].user,
        organization=measured["center"],
        scope=ConsentScope.CENTER_PORTFOLIO,
    )
    summary = client.get("/centers/sunrise/").context["summary"]
    assert summary.sharing == 2
    assert (summary.target.met, summary.target.total) == (0, 1)
    assert {p.key: p.value for p in summary.hours}["TF"] == Decimal("1.5")
    assert {p.key: p.value for p in summary.readiness}[NOT_SHARED] == 3


def test_without_anyone_sharing_the_hours_chart_says_so(client, team):  # noqa: F811
    revoke_consent(
        user=team["sharing"].user, organization=team["center"], scope=ConsentScope.CENTER_PORTFOLIO
    )
    client.force_login(team["manager"])
    html = client.get("/centers/sunrise/").content.decode()
    assert 'id="hours-chart"' not in html
    assert "Nobody shown shares their portfolio with the center yet" in html


def test_filters_sit_in_a_drawer_and_stay_named_when_it_is_closed(client, team):  # noqa: F811
    client.force_login(team["manager"])
    html = client.get("/centers/sunrise/").content.decode()
    assert '<details class="filters-toggle">' in html and "applied-filters" not in html
    html = client.get("/centers/sunrise/", {"progress": "completed", "q": "pat"}).content.decode()
    assert '<details class="filters-toggle">' in html  # closed; the line below names them
    assert '<span class="badge">2 on</span>' in html
    applied = section(html, 'class="applied-filters"', "</p>")
    assert "Name or e-mail: pat" in applied and "Progress: Completed" in applied
    assert 'href="/centers/sunrise/"' in applied  # clear them
    # The summary follows the filters: the people shown.
    assert "1 person shown of 3 on the roster" in html


def test_a_revoked_endorsement_is_no_longer_held_on_the_dashboard(client, measured):
    """Once Rae's endorsement is revoked she holds nothing to renew: she is not counted as
    on track for a renewal."""
    from django.utils import timezone

    Endorsement.objects.filter(learner=measured["rae"].user).update(
        revoked_at=timezone.now(), revocation_reason="Granted on a forged reference."
    )
    client.force_login(measured["manager"])
    summary = client.get("/centers/sunrise/").context["summary"]
    assert summary.renewal.total == 0

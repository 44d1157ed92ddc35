"""The portfolio pages as a learner uses them: target, progress, renewal, checklist,
readiness; every view on the learner's own data only."""

import datetime
import json
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from lms.accounts.models import LearnerProfile
from lms.accounts.services import update_profile
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import ChecklistTick, Endorsement
from lms.endorsement.services.requirements import load_requirement_defaults
from lms.records.services.rsc import log_rsc_session
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.records.factories import issue
from tests.lms.records.test_transcript import bulk_records
from tests.lms.records.test_views import PDF_BYTES, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(framework, monkeypatch):
    # The portfolio page asks the catalog it lives beside; these tests answer for it.
    monkeypatch.setattr("courses.views.portfolio.suggest_trainings_for_areas", _suggest)
    org = OrganizationFactory(slug="lakes", name="Great Lakes Association")
    load_requirement_defaults(associations=[org])
    return org


def _suggest(*, area_codes, category, association, limit):
    return [
        {
            "title": f"Training for {code}",
            "url": f"/catalog/{code.lower()}/",
            "hours_by_area": {code: "1.5"},
        }
        for code in area_codes
    ][:limit]


@pytest.fixture
def learner(client, association):
    user = UserFactory(first_name="Lee", last_name="Parker")
    update_profile(
        user=user,
        association=association,
        target_category=EndorsementCategory.objects.get(code="IFS"),
    )
    client.force_login(user)
    return user


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_learner_chooses_a_target(client, association):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("endorsement:portfolio"))
    assert "Choose the association you apply to" in text(page)
    bad = client.post(reverse("endorsement:portfolio"), {"association": "nope", "category": "IFS"})
    assert bad.status_code == 400
    assert not LearnerProfile.objects.filter(user=user, association__isnull=False).exists()
    center = OrganizationFactory(kind="center", slug="a-center")
    refused = client.post(reverse("endorsement:portfolio"), {"association": center.slug})
    assert refused.status_code == 400
    ok = client.post(reverse("endorsement:portfolio"), {"association": "lakes", "category": "IMHS"})
    assert ok.status_code == 302
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.association, profile.target_category.code) == (association, "IMHS")


def test_portfolio_shows_progress_gaps_and_suggestions(client, learner):
    issue(
        learner,
        completed_on=datetime.date(2024, 3, 1),
        duration_hours=D("12"),
        area_hours={"TF": D("8"), "DSS": D("4")},
        dei=False,
    )
    issue(
        learner,
        duration_hours=D("2"),
        area_hours={"REF": D("2")},
        verification_tier="self_reported",
    )
    issue(learner, title="Preschool play", age_band="early_childhood")
    page = client.get(reverse("endorsement:portfolio"))
    assert page.status_code == 200
    html = page.content.decode()
    body = text(page)
    assert "Infant Family Specialist (IFS) with Great Lakes Association" in body
    assert "Requirements to apply" in body
    assert "14 of 30 hours · 16 to go." in body
    assert "By verification: Platform-verified 12 h · Self-reported 2 h." in body
    assert re.search(r'<progress max="30.00" value="14.00" aria-labelledby="initial-rule-1"', html)
    assert "16 hours more of training (14 of 30 so far)." in body
    assert "No training yet in Law, Regulation and Agency Policy." in body
    assert "No training yet in Reflection." not in body
    # Suggestions for the uncovered areas, with what they fill.
    assert '<a href="/catalog/lrp/">Training for LRP</a>' in html
    assert "Covers Law, Regulation and Agency Policy (1.5 h)." in body
    assert "Renewal tracker" not in body
    assert "1 record marked for the other age band only is not counted for IFS." in body


def test_a_failing_catalog_never_breaks_the_portfolio_page(client, learner, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("catalog unavailable")

    monkeypatch.setattr("courses.views.portfolio.suggest_trainings_for_areas", broken)
    page = client.get(reverse("endorsement:portfolio"))
    assert page.status_code == 200
    body = text(page)
    assert "No training yet in Law, Regulation and Agency Policy." in body
    assert "Training for" not in body
    assert "catalog unavailable" in caplog.text


def test_no_suggestions_when_the_catalog_has_none(client, learner, monkeypatch):
    monkeypatch.setattr("courses.views.portfolio.suggest_trainings_for_areas", lambda **kw: [])
    page = client.get(reverse("endorsement:portfolio"))
    assert page.status_code == 200
    assert 'class="suggestions' not in page.content.decode()
    assert "No training yet in Law, Regulation and Agency Policy." in text(page)


def test_portfolio_charts_hours_per_area_from_a_static_script(client, learner):
    issue(learner, duration_hours=D("12"), area_hours={"TF": D("8"), "DSS": D("4")})
    page = client.get(reverse("endorsement:portfolio"))
    html = page.content.decode()
    chart = json.loads(
        re.search(
            r'<script id="portfolio-area-chart" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    position = chart["codes"].index("TF")
    assert chart["hours"][position] == 8.0 and chart["labels"][position].endswith("(TF)")
    assert chart["hours"][chart["codes"].index("DSS")] == 4.0
    assert re.search(r'<canvas id="area-chart" role="img" aria-label="[^"]*Theoretical', html)
    assert "/static/endorsement/portfolio.js" in html
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    # No inline script runs: the only <script> without src is the JSON data.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)
    # The table gives the same numbers.
    assert re.search(r"Theoretical Foundations \(TF\) .*? 8", text(page))


def test_suggestions_are_ranked_by_missing_hours_closed(client, learner, monkeypatch):
    def catalog(*, area_codes, category, association, limit):
        return [
            {"title": "A little law", "url": "/c/a/", "hours_by_area": {"LRP": "1"}},
            {"title": "Off the map", "url": "/c/x/", "hours_by_area": {"XYZ": "9"}},
            {
                "title": "Systems and law",
                "url": "/c/b/",
                "hours_by_area": {"LRP": "2", "SE": "1.5"},
            },
        ]

    monkeypatch.setattr("courses.views.portfolio.suggest_trainings_for_areas", catalog)
    body = text(client.get(reverse("endorsement:portfolio")))
    assert body.index("Systems and law") < body.index("A little law")
    assert "Closes 3.5 missing h" in body and "Closes 1 missing h" in body
    assert "Off the map" not in body  # closes nothing that is missing


def test_the_learners_apply_by_date_is_the_deadline_before_an_endorsement(
    client, learner, monkeypatch
):
    """Working toward a first endorsement, a training starting after the date the learner
    means to apply by closes nothing; without the date it is suggested."""

    def catalog(*, area_codes, category, association, limit):
        return [
            {"title": "Spring cohort", "url": "/c/s/", "hours_by_area": {"LRP": "3"},
             "starts_on": "2031-03-01"},
            {"title": "On demand law", "url": "/c/o/", "hours_by_area": {"LRP": "1"}},
        ]  # fmt: skip

    monkeypatch.setattr("courses.views.portfolio.suggest_trainings_for_areas", catalog)
    assert "Spring cohort" in text(client.get(reverse("endorsement:portfolio")))
    response = client.post(
        reverse("endorsement:portfolio"),
        {"association": "lakes", "category": "IFS", "target_date": "2031-01-15"},
    )
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).target_date == datetime.date(2031, 1, 15)
    page = client.get(reverse("endorsement:portfolio"))
    body = text(page)
    assert "Spring cohort" not in body and "On demand law" in body
    assert 'value="2031-01-15"' in page.content.decode()


def test_renewal_tracker_after_recording_the_endorsement(client, learner):
    today = timezone.localdate()
    issue(learner, completed_on=today, duration_hours=D("10"), area_hours={"TF": D("10")})
    log_rsc_session(
        learner=learner,
        session_date=today,
        duration_hours=D("4"),
        session_format="individual",
        supervisor_name="Sam Supervisor",
        supervisor_email="sam@example.org",
    )
    response = client.post(
        reverse("endorsement:held"), {"endorsed_on": "2020-05-01", "provides_rsc": "on"}
    )
    assert response.status_code == 302
    held = Endorsement.objects.get(learner=learner)
    assert held.provides_rsc and held.category.code == "IFS"
    body = text(client.get(reverse("endorsement:portfolio")))
    assert "Renewal tracker" in body
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    assert f"Current cycle {date_format(start)} to {date_format(end)}" in body
    assert f"Due date {date_format(end)}" in body
    assert "Training hours so far 5 hours to go: 10 of 15 hours" in body
    assert "DEI Met: 10 of 1 hours" in body
    assert "RSC received 8 hours to go: 4 of 12 hours" in body
    assert "Training about providing RSC 3 hours to go: 0 of 3 hours" in body

    future = client.post(reverse("endorsement:held"), {"endorsed_on": "2999-01-01"})
    assert future.status_code == 302
    held.refresh_from_db()
    assert held.endorsed_on == datetime.date(2020, 5, 1)
    client.post(reverse("endorsement:held"), {"remove": "1"})
    assert not Endorsement.objects.filter(learner=learner).exists()


def test_checklist_ticks_with_validated_evidence(client, learner, association):
    url = reverse("endorsement:tick")
    bad = SimpleUploadedFile("refs.pdf", b"not really a pdf", content_type="application/pdf")
    client.post(url, {"item": "references", "completed_on": "2024-02-01", "evidence": bad})
    assert not ChecklistTick.objects.exists()

    good = SimpleUploadedFile("refs.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(url, {"item": "references", "completed_on": "2024-02-01", "evidence": good})
    tick = ChecklistTick.objects.get(learner=learner)
    assert tick.evidence_content_type == "application/pdf" and "refs" not in tick.evidence.name
    # The same tick again (a double submit) replaces the file, not the tick.
    again = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    client.post(url, {"item": "references", "completed_on": "2024-02-01", "evidence": again})
    assert ChecklistTick.objects.get().evidence_content_type == "image/png"
    download = client.get(reverse("endorsement:tick_evidence", args=[tick.pk]))
    assert b"".join(download.streaming_content) == png_bytes()
    assert "Reference ratings Met" in text(client.get(reverse("endorsement:portfolio")))

    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("endorsement:tick_evidence", args=[tick.pk])).status_code == 404
    assert client.post(reverse("endorsement:remove_tick", args=[tick.pk])).status_code == 404
    assert ChecklistTick.objects.filter(pk=tick.pk).exists()
    client.force_login(learner)
    client.post(reverse("endorsement:remove_tick", args=[tick.pk]))
    assert not ChecklistTick.objects.exists()


def test_readiness_lists_missing_and_unverified(client, learner, association):
    issue(
        learner,
        duration_hours=D("30"),
        area_hours={"TF": D("30")},
        verification_tier="self_reported",
        title="Home visiting series",
    )
    body = text(client.get(reverse("endorsement:readiness")))
    assert "Initial application for Infant Family Specialist (IFS)" in body
    assert (
        "Missing 24 hours more of reflective supervision/consultation within the last 24 months"
        in body
    )
    assert "Missing Education: not ticked yet." in body
    assert "Missing No training yet in Direct Service Skills." in body
    assert "Unverified Training hours: 30 of the 30 hours counted are self-reported." in body
    renewal = text(client.get(reverse("endorsement:readiness"), {"kind": "renewal"}))
    assert "Renewal for Infant Family Specialist" in renewal
    assert "DEI training in this cycle" in renewal


def test_pages_need_sign_in(client, association):
    for name in ("portfolio", "readiness", "export"):
        response = client.get(reverse(f"endorsement:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("endorsement:tick")).status_code == 302


@pytest.mark.parametrize("records", [10, 500])
def test_portfolio_page_query_count_does_not_grow(
    client, learner, association, records, django_assert_num_queries
):
    bulk_records(learner, records)
    Endorsement.objects.create(
        learner=learner,
        association=association,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2020, 1, 1),
    )
    ChecklistTick.objects.create(
        learner=learner,
        association=association,
        item="membership",
        completed_on=timezone.localdate(),
    )
    # session, user, profile, held endorsement, four for the records, areas, two rule sets,
    # ticks, the choices of three selects, then the Wagtail user bar's permission look-ups
    # (the site's brand and catalog link come from the cache once a first page showed them).
    client.get(reverse("endorsement:portfolio"))
    with django_assert_num_queries(17):
        response = client.get(reverse("endorsement:portfolio"))
    assert response.status_code == 200

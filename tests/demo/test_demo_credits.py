"""The demo's continuing-education credit, as `make run` shows it: Great Lakes has social work
CE and registry hours, both offered on its mandated-reporting webinar, whose post-test is long
enough for the board's rule; loading the demo again changes nothing."""

import pytest

from courses.models import TrainingPage
from courses.selectors.publication import publication_errors
from demo.credits import load_demo_credits
from demo.loader import load_demo
from lms.records.models import CreditKind

pytestmark = pytest.mark.django_db

GREAT_LAKES = {"HTTP_HOST": "great-lakes.localhost:8000"}


def webinar():
    return TrainingPage.objects.get(
        slug="mandated-reporting-ethics", locale__language_code="en", alias_of=None
    ).specific


def offered():
    return [
        (o.kind.code, o.amount, o.category) for o in webinar().credit_offers.select_related("kind")
    ]


def test_great_lakes_offers_social_work_ce_and_registry_hours_on_a_webinar(framework, client):
    load_demo()
    kinds = CreditKind.objects.filter(organization__slug="great-lakes").order_by("code")
    assert [(k.code, k.license_profession, k.minimum_score_percent) for k in kinds] == [
        ("registry", "", None),
        ("sw-ce", "social_work", 80),
    ]
    page = webinar()
    assert page.live
    assert sorted(offered()) == [
        ("registry", page.contact_hours, "safety"),
        ("sw-ce", page.contact_hours, "ethics"),
    ]
    # The post-test is long enough for ten questions per credit hour; the gate agrees.
    assert publication_errors(page=page) == []
    assert page.get_latest_revision_as_object().credit_offers.count() == 2

    html = client.get(page.get_url_parts()[2], **GREAT_LAKES).content.decode()
    assert "Social work CE" in html and "Registry hours" in html

    before = (CreditKind.objects.count(), offered(), page.revisions.count())
    load_demo_credits()
    load_demo()
    assert (CreditKind.objects.count(), offered(), webinar().revisions.count()) == before

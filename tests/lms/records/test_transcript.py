import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.competencies.selectors import current_areas
from lms.records.models import (
    PlatformCompletion,
    RecordAreaHours,
    RecordFacilitator,
    TrainingRecord,
)
from lms.records.selectors.transcript import transcript_for
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.rsc import log_rsc_session
from tests.factories import UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db

RECORDS = 5_000


def bulk_records(learner, count):
    """Platform completions written in bulk (the services would take minutes for 5,000)."""
    ctype = ContentType.objects.get_for_model(PlatformCompletion)
    areas = {a.code: a for a in current_areas()}
    start = datetime.date(2015, 1, 1)
    rows = TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                polymorphic_ctype=ctype,
                learner=learner,
                source_key=f"bulk:{i}",
                title=f"Bulk training {i}",
                provider_name="Great Lakes Association",
                completed_on=start + datetime.timedelta(days=i % 3650),
                duration_hours=Decimal("1.50"),
                delivery_format="self_paced",
                verification_tier="platform_verified",
                dei=i % 10 == 0,
            )
            for i in range(count)
        ],
        batch_size=500,
    )
    if rows[0].pk is None:  # backends that do not return ids from bulk inserts
        rows = list(TrainingRecord.objects.filter(learner=learner).order_by("pk"))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO records_platformcompletion (trainingrecord_ptr_id) VALUES (%s)",
            [(r.pk,) for r in rows],
        )
    RecordAreaHours.objects.bulk_create(
        [
            hours
            for r in rows
            for hours in (
                RecordAreaHours(record=r, area=areas["TF"], hours=Decimal("1.00")),
                RecordAreaHours(record=r, area=areas["REF"], hours=Decimal("0.50")),
            )
        ],
        batch_size=1000,
    )
    RecordFacilitator.objects.bulk_create(
        [RecordFacilitator(record=r, name="Dana Whitfield") for r in rows], batch_size=1000
    )
    return rows


def test_transcript_of_5000_records_takes_at_most_5_queries(
    framework, django_assert_max_num_queries
):
    learner = UserFactory()
    rows = bulk_records(learner, RECORDS)
    amended = issue(learner, completed_on=datetime.date(2024, 3, 14))
    amend_record(
        record=amended,
        by=learner,
        reason="Typo",
        duration_hours=Decimal("4"),
        area_hours={"TF": Decimal("3"), "REF": Decimal("1")},
    )
    revoke_record(record=rows[0], by=learner, reason="Duplicate")
    log_rsc_session(
        learner=learner,
        session_date=datetime.date(2024, 1, 5),
        duration_hours=Decimal("1"),
        session_format="group",
        supervisor_name="Sam Supervisor",
        supervisor_email="sam@example.org",
    )

    with django_assert_max_num_queries(5):
        transcript = transcript_for(learner=learner)
        totals = transcript.area_totals
        names = [line.facts.facilitator_names for line in transcript.lines]

    assert len(transcript.lines) == RECORDS + 1  # revoked left out, RSC session included
    assert len(names) == RECORDS + 1
    assert transcript.training_hours == Decimal("1.50") * (RECORDS - 1) + Decimal("4")
    assert transcript.rsc_hours == Decimal("1")
    by_code = {area.code: hours for area, hours in totals}
    assert by_code["TF"] == Decimal("1.00") * (RECORDS - 1) + Decimal("3")
    assert by_code["REF"] == Decimal("0.50") * (RECORDS - 1) + Decimal("1")
    assert sum(y["training_hours"] for y in transcript.years) == transcript.training_hours


def test_transcript_page_runs_the_same_queries_for_10_and_300_records(client, framework):
    counts = []
    for size in (10, 300):
        learner = UserFactory()
        bulk_records(learner, size)
        client.force_login(learner)
        client.get(reverse("records:transcript"))  # fills the caches a first request fills
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("records:transcript"))
        assert response.status_code == 200
        assert response.content.decode().count("Bulk training ") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_transcript_views_have_a_fixed_query_count(
    client, framework, django_assert_max_num_queries
):
    learner = UserFactory()
    bulk_records(learner, 300)
    client.force_login(learner)
    client.get(reverse("records:transcript_csv"))  # caches the site and the user's language
    # session + user, then the transcript's five queries
    with django_assert_max_num_queries(7):
        response = client.get(reverse("records:transcript_csv"))
    assert response.content.decode().count("\n") == 301
    # plus two permission look-ups by the Wagtail user bar in the base template; the site's
    # brand and catalog link come from the cache once a first page has shown them
    client.get(reverse("records:transcript"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("records:transcript")).status_code == 200

"""Registry formats as settings (an operator's own layout works; a broken one is refused at
once), forged input on the roster screens (a clear refusal, never a 500, nothing written),
and the preview's queries do not grow with the attendees."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.models import Enrollment
from courses.services.attendance import record_manual_attendance
from interop.registries.formats import registry_format, registry_formats
from interop.registries.models import LearnerRegistryId, TrainingRegistryEvent
from interop.registries.selectors import roster
from interop.registries.services import roster_csv
from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent
from tests.factories import UserFactory

from .conftest import REGISTRY

pytestmark = pytest.mark.django_db

SEMICOLONS = {
    "code": "semicolons",
    "name": "Semicolon roster",
    "id_label": "Worker number",
    "id_pattern": r"W\d{5}",
    "columns": [["Worker", "registry_id"], ["Name", "full_name"], ["Day", "end_date"]],
    "date_format": "%d.%m.%Y",
    "delimiter": ";",
    "encoding": "utf-8",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operators_format_sets_columns_dates_and_delimiter(settings, event, great_lakes):
    settings.ATTUNE_REGISTRY_FORMATS = [SEMICOLONS]
    assert list(registry_formats()) == ["semicolons"]
    ana = event.people["ana"]
    LearnerRegistryId.objects.create(learner=ana, registry="semicolons", registry_id="W12345")
    found = roster(
        association=great_lakes,
        training=event,
        registry=registry_format("semicolons"),
        start=datetime.date(2026, 3, 3),
        end=datetime.date(2026, 3, 3),
    )
    # Great Lakes' sponsor ID is for the other registry: the file still comes, sponsor blank.
    text = roster_csv(found).decode("utf-8")
    assert text.splitlines()[:2] == ["Worker;Name;Day", "W12345;Ana Example;03.03.2026"]


@pytest.mark.parametrize(
    "broken",
    [
        {**SEMICOLONS, "columns": [["Worker", "shoe_size"]]},
        {**SEMICOLONS, "id_pattern": "(unclosed"},
        {**SEMICOLONS, "code": "Not A Slug"},
        {**SEMICOLONS, "encoding": "klingon"},
        {"name": "no code"},
    ],
)
def test_a_broken_format_is_refused_with_its_entry_named(settings, broken):
    settings.ATTUNE_REGISTRY_FORMATS = [broken]
    with pytest.raises((ImproperlyConfigured, LookupError)):
        registry_formats()


@pytest.mark.parametrize(
    "training",
    ["9" * 25, "9" * 400, "١٢٣", "-1", "abc", "1e309", "0x10"],
)
def test_forged_training_ids_are_not_found(event, gl_editor, training):
    client = signed_in(gl_editor)
    params = {
        "training": training,
        "registry": REGISTRY,
        "start": "2026-03-01",
        "end": "2026-03-31",
    }
    assert client.get("/admin/registries/", params).status_code == 404
    assert client.post("/admin/registries/download/", params).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"training": "9" * 25, "registry": REGISTRY, "event_id": "X"},
        {"training": "1", "registry": "no-such-registry", "event_id": "X"},
        {"training": "1", "registry": REGISTRY, "event_id": "X" * 65},
    ],
)
def test_forged_event_id_posts_change_nothing(event, gl_editor, body):
    response = signed_in(gl_editor).post("/admin/registries/event-id/", body)
    assert response.status_code in (302, 404)
    assert not TrainingRegistryEvent.objects.exists()


@pytest.mark.parametrize(
    "dates",
    [("0001-01-01", "9999-12-31"), ("2026-02-30", "2026-03-01"), ("9999-12-31", "9999-12-31")],
)
def test_dates_at_the_edges_are_answered(event, gl_editor, dates):
    params = {"training": event.pk, "registry": REGISTRY, "start": dates[0], "end": dates[1]}
    response = signed_in(gl_editor).get("/admin/registries/", params)
    assert response.status_code in (200, 400)


def test_preview_queries_do_not_grow_with_attendees(
    event, great_lakes, gl_editor, django_assert_max_num_queries
):
    client = signed_in(gl_editor)
    params = {
        "training": event.pk,
        "registry": REGISTRY,
        "start": "2026-03-01",
        "end": "2026-03-31",
    }
    client.get("/admin/registries/", params)  # warm the caches (roles, site)
    with CaptureQueriesContext(connection) as six:
        client.get("/admin/registries/", params)
    for number in range(20):
        person = UserFactory(email=f"more{number}@example.org")
        # Registration closed when the event passed: seat them as the organizer would.
        Enrollment.objects.create(learner=person, training=event, source="registration")
        enrollment = Enrollment.objects.get(learner=person, training=event)
        record_manual_attendance(enrollment=enrollment, minutes=180, by=None)
        grant_consent(user=person, organization=great_lakes, scope=ConsentScope.ASSOCIATION_RECORDS)
        LearnerRegistryId.objects.create(
            learner=person, registry=REGISTRY, registry_id=f"MI-2{number:05d}"
        )
    with django_assert_max_num_queries(len(six.captured_queries)):
        response = client.get("/admin/registries/", params)
    assert response.content.decode().count("MI-2000") == 20
    rows = list(
        csv.reader(io.StringIO(client.post("/admin/registries/download/", params).content.decode()))
    )
    assert len(rows) == 1 + 2 + 20

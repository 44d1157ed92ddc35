"""The demo's registry reporting, as `make run` shows it: Great Lakes reports to the example
state registry; its past live event has three attendees, one of them (Hana Sato) without a
registry ID, whom the roster's preview lists as rejected; the file has the registry's
documented columns and the two others."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from demo.loader import load_demo
from demo.registries import EVENT_SLUG, REGISTRY, SPONSOR_ID, load_demo_registries
from interop.registries.formats import registry_format
from interop.registries.models import AssociationRegistry, LearnerRegistryId
from lms.accounts.models import User
from lms.records.models import TrainingRecord

pytestmark = pytest.mark.django_db


def test_demo_roster_of_the_live_event_lists_the_attendee_without_an_id(framework):
    load_demo()
    event = load_demo_registries()  # a second run changes nothing
    assert event.slug == EVENT_SLUG and event.starts_at < timezone.now()
    assert AssociationRegistry.objects.get(association__slug="great-lakes").sponsor_id == SPONSOR_ID
    assert LearnerRegistryId.objects.filter(registry=REGISTRY).count() == 5
    assert TrainingRecord.objects.filter(source_key=f"attune:training:{event.pk}").count() == 3

    client = Client()
    client.force_login(User.objects.get(email="gl-editor@attune.example"))
    # The event's day in Detroit may be the day before or after UTC's: a three-day range.
    start = (event.starts_at - datetime.timedelta(days=1)).date().isoformat()
    end = (event.starts_at + datetime.timedelta(days=1)).date().isoformat()
    params = {"training": event.pk, "registry": REGISTRY, "start": start, "end": end}
    preview = client.get("/admin/registries/", params)
    assert preview.status_code == 200
    page = preview.content.decode()
    rejected = page[page.index("Rows the registry would reject") : page.index("Rows in the file")]
    assert "Hana Sato" in rejected and "No Registry ID on file." in rejected
    assert "Ben Okoro" not in rejected

    response = client.post("/admin/registries/download/", params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == registry_format(REGISTRY).headers
    assert sorted(row[0] for row in rows[1:]) == ["MI-204815", "MI-377120"]
    assert {row[4] for row in rows[1:]} == {SPONSOR_ID}

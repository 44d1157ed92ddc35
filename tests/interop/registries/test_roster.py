"""Registry roster exports: the preview lists the rows a registry would reject and why, the
file has the registry's documented columns and only the good rows, and nobody outside the
association gets either."""

import csv
import datetime
import io

import pytest
from django.test import Client

from interop.registries.formats import registry_format
from interop.registries.selectors import roster
from lms.audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

from .conftest import REGISTRY

pytestmark = pytest.mark.django_db

EXPORT = "/admin/registries/"
DOWNLOAD = "/admin/registries/download/"
MARCH = {"registry": REGISTRY, "start": "2026-03-01", "end": "2026-03-31"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def query(event, **extra):
    return {"training": event.pk, **MARCH, **extra}


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_roster_splits_good_rows_from_rejected_with_reasons(event, great_lakes):
    found = roster(
        association=great_lakes,
        training=event,
        registry=registry_format(REGISTRY),
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    assert [row.email for row in found.accepted] == ["ana@example.org", "dee@example.org"]
    problems = {row.email: " ".join(row.problems) for row in found.rejected}
    assert set(problems) == {
        "ben@example.org",
        "carl@example.org",
        "eve@example.org",
        "fay@example.org",
    }
    assert "No Registry ID on file" in problems["ben@example.org"]
    assert "not in the registry's format" in problems["carl@example.org"]
    assert (
        "Does not share their records with Great Lakes Association" in problems["eve@example.org"]
    )
    # Eve's ID stays private even in the preview of her association's staff.
    assert "MI-100005" not in " ".join(str(row.values) for row in found.rejected)
    assert "No hours credited" in problems["fay@example.org"]


def test_range_outside_the_event_has_no_attendees(event, great_lakes):
    found = roster(
        association=great_lakes,
        training=event,
        registry=registry_format(REGISTRY),
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 4, 30),
    )
    assert found.accepted == found.rejected == []


def test_preview_lists_rejected_rows_then_file_has_documented_columns(event, gl_editor):
    client = signed_in(gl_editor)
    preview = client.get(EXPORT, query(event))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Rows the registry would reject" in page
    assert "ben@example.org" in page and "No Registry ID on file." in page
    assert "MI-100001" in page

    response = client.post(DOWNLOAD, query(event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = "state-generic_reflective-supervision-basics_2026-03-01_2026-03-31.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    rows = read_csv(response)
    assert rows[0] == registry_format(REGISTRY).headers == [
        "Registry ID", "First Name", "Last Name", "Email", "Sponsor ID", "Event ID",
        "Training Title", "Start Date", "End Date", "Hours", "Competency Areas", "Certificate ID",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["MI-100001", "MI-100004"]
    ana = dict(zip(rows[0], rows[1], strict=True))
    assert ana["Sponsor ID"] == "GL-SPONSOR-7"
    assert ana["Start Date"] == ana["End Date"] == "2026-03-03"
    assert ana["Hours"] == "3.00"
    assert ana["Competency Areas"] == "WWO;REF" or set(ana["Competency Areas"].split(";")) == {
        "REF",
        "WWO",
    }
    event_audit = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
    assert event_audit.actor == gl_editor
    assert event_audit.details["rows"] == 2 and event_audit.details["rejected"] == 4


def test_event_id_saved_by_the_editor_goes_into_the_file(event, gl_editor):
    client = signed_in(gl_editor)
    saved = client.post(
        "/admin/registries/event-id/",
        {**query(event), "event_id": "EVT-2026-031"},
    )
    assert saved.status_code == 302
    rows = read_csv(client.post(DOWNLOAD, query(event)))
    assert {row[5] for row in rows[1:]} == {"EVT-2026-031"}


def test_cells_that_look_like_formulas_are_written_as_text(event, gl_editor):
    ana = event.people["ana"]
    ana.first_name = '=HYPERLINK("http://evil.example")'
    ana.save(update_fields=["first_name"])
    rows = read_csv(signed_in(gl_editor).post(DOWNLOAD, query(event)))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


def test_other_associations_staff_and_learners_get_nothing(event, pr_admin, prairie):
    # Prairie's admin may report for Prairie, not on Great Lakes' training: 404, no file.
    other = signed_in(pr_admin)
    assert other.get(EXPORT, query(event)).status_code == 404
    refused = other.post(DOWNLOAD, query(event))
    assert refused.status_code == 404
    # A learner (an attendee, even) is refused at the admin's door and gets no file.
    learner = signed_in(event.people["ana"])
    for response in (learner.get(EXPORT, query(event)), learner.post(DOWNLOAD, query(event))):
        assert response.status_code in (302, 403)
        assert b"MI-100001" not in response.content
    # Someone signed in with no role anywhere: the same.
    stranger = signed_in(UserFactory())
    assert stranger.post(DOWNLOAD, query(event)).status_code in (302, 403)
    assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).exists()


def test_registry_the_association_does_not_report_to_is_refused(event, gl_editor):
    response = signed_in(gl_editor).get(EXPORT, query(event, registry="sponsor-numeric"))
    assert response.status_code == 400
    assert "does not report to" in response.content.decode()
    assert (
        signed_in(gl_editor).post(DOWNLOAD, query(event, registry="sponsor-numeric")).status_code
        == 302
    )


def test_bad_dates_are_a_clear_error(event, gl_editor):
    response = signed_in(gl_editor).get(EXPORT, query(event, start="2026-03-31", end="2026-03-01"))
    assert response.status_code == 400
    assert "comes before its start" in response.content.decode()

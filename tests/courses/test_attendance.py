"""Attendance at live events: participant reports (preview, then all or nothing) and the
facilitator's own count; attendance issues a live-attendance record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Attendance, AttendanceImport, Enrollment, LiveEventPage
from courses.services.attendance import (
    confirm_attendance_import,
    preview_attendance_import,
    record_manual_attendance,
)
from courses.services.enrollment import cancel_enrollment, register_for_event
from lms.organizations.models import Role
from lms.records.models import TrainingRecord
from tests.courses.factories import association, member, training
from tests.factories import UserFactory

CHICAGO = datetime.timezone(datetime.timedelta(hours=-6))
REPORT = """Meeting ID,Topic
812 555 0101,Spring gathering

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ana Alvarez,ANA@example.org,03/03/2026 09:00:00 AM,03/03/2026 10:30:00 AM,90,No
Ana Alvarez (phone),ana@example.org,03/03/2026 10:20:00 AM,03/03/2026 12:05:00 PM,105,No
Ben Brooks,ben@example.org,03/03/2026 09:30:00 AM,03/03/2026 10:00:00 AM,30,No
Sam Stranger,stranger@example.org,03/03/2026 09:00:00 AM,03/03/2026 12:00:00 PM,180,Yes
No Email,,03/03/2026 09:00:00 AM,03/03/2026 12:00:00 PM,180,Yes
Carl Cole,carl@example.org,yesterday,03/03/2026 12:00:00 PM,180,No
"""


@pytest.fixture
def event(great_lakes):
    page = training(
        great_lakes, "Spring gathering", kind="event", hours={"WWO": "3"},
        time_zone="America/Chicago", require_evaluation=False,
    )  # fmt: skip
    learners = {name: UserFactory(email=f"{name}@example.org") for name in ("ana", "ben", "carl")}
    for learner in learners.values():
        register_for_event(learner=learner, event=page)
    # The event took place: 9:00 to 12:00 in Chicago.
    LiveEventPage.objects.filter(pk=page.pk).update(
        starts_at=datetime.datetime(2026, 3, 3, 9, tzinfo=CHICAGO),
        ends_at=datetime.datetime(2026, 3, 3, 12, tzinfo=CHICAGO),
    )
    page.refresh_from_db()
    page.learners = learners
    return page


def test_preview_reports_every_row_and_changes_nothing(event):
    batch = preview_attendance_import(
        event=event, uploaded_by=None, filename="participants.csv", content=REPORT.encode()
    )
    outcomes = [(row["line"], row["email"], row["outcome"]) for row in batch.rows]
    assert outcomes == [
        (5, "ana@example.org", "matched"),
        (6, "ana@example.org", "merged"),
        (7, "ben@example.org", "matched"),
        (8, "stranger@example.org", "unknown_email"),
        (9, "", "malformed"),
        (10, "carl@example.org", "malformed"),
    ]
    messages = {row["line"]: row["message"] for row in batch.rows}
    assert "not registered" in messages[8]
    assert messages[10] == "Line 10: unreadable time 'yesterday'."
    # Overlapping joins count once, and time after the end does not count: 9:00 to 12:00.
    assert batch.rows[0]["minutes"] == 180
    assert not Attendance.objects.exists()


def test_confirm_writes_all_and_issues_live_attendance_records(event):
    batch = preview_attendance_import(
        event=event, uploaded_by=None, filename="participants.csv", content=REPORT.encode()
    )
    confirm_attendance_import(batch=batch, by=None)
    minutes = dict(Attendance.objects.values_list("enrollment__learner__email", "minutes"))
    assert minutes == {"ana@example.org": 180, "ben@example.org": 30}
    record = TrainingRecord.objects.get()
    assert record.learner.email == "ana@example.org"
    assert record.get_real_instance_class().__name__ == "LiveAttendance"
    assert record.completed_on == datetime.date(2026, 3, 3)
    assert record.duration_hours == 3
    with pytest.raises(ValidationError, match="already imported"):
        confirm_attendance_import(batch=batch, by=None)


def test_nothing_is_half_imported(event):
    batch = preview_attendance_import(
        event=event, uploaded_by=None, filename="participants.csv", content=REPORT.encode()
    )
    ben = Enrollment.objects.get(learner=event.learners["ben"])
    cancel_enrollment(enrollment=ben)
    with pytest.raises(ValidationError, match="Registrations changed"):
        confirm_attendance_import(batch=batch, by=None)
    assert not Attendance.objects.exists()
    assert AttendanceImport.objects.get().status == "preview"


@pytest.mark.parametrize(
    "content",
    [
        b"just,some,columns\n1,2,3\n",
        b"\x00\x01 binary",
        b"Name,Email\nAna,ana@example.org\n",
    ],
)
def test_a_file_that_is_not_a_participant_report_is_refused(event, content):
    with pytest.raises(ValidationError, match="participant report"):
        preview_attendance_import(event=event, uploaded_by=None, filename="x.csv", content=content)
    assert not AttendanceImport.objects.exists()


def test_facilitators_import_through_the_page_and_others_cannot(client, event, great_lakes):
    url = f"/learning/events/{event.pk}/attendance/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(member(association("prairie"), Role.FACILITATOR))
    assert client.get(url).status_code == 403

    facilitator = member(great_lakes, Role.FACILITATOR)
    client.force_login(facilitator)
    assert "ana@example.org" in client.get(url).content.decode()
    upload = SimpleUploadedFile("participants.csv", REPORT.encode(), content_type="text/csv")
    response = client.post(url, {"action": "upload", "report": upload})
    batch = AttendanceImport.objects.get()
    assert response["Location"].endswith(f"/attendance/{batch.pk}/")
    preview = client.get(response["Location"]).content.decode()
    assert "Not registered" in preview and "unreadable time" in preview
    assert "Import attendance for 2 registrants" in preview
    client.post(response["Location"], {"action": "confirm"})
    assert Attendance.objects.count() == 2
    assert batch.uploaded_by == facilitator


def test_manual_attendance(client, event, great_lakes):
    carl = Enrollment.objects.get(learner=event.learners["carl"])
    with pytest.raises(ValidationError):
        record_manual_attendance(enrollment=carl, minutes=500, by=None)
    with pytest.raises(ValidationError):
        record_manual_attendance(enrollment=carl, minutes="lots", by=None)
    client.force_login(member(great_lakes, Role.FACILITATOR))
    client.post(
        f"/learning/events/{event.pk}/attendance/",
        {"action": "manual", "enrollment": carl.pk, "minutes": "150"},
    )
    attendance = Attendance.objects.get()
    assert attendance.minutes == 150 and attendance.source == "manual"
    assert TrainingRecord.objects.get().learner == event.learners["carl"]

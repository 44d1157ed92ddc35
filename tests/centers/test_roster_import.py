"""Roster files: every line reported, bad lines named by number, nothing imported from a
file with errors unless the manager confirms that only its valid lines are imported."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from centers.roster_import import (
    RosterFileError,
    confirm_roster_import,
    parse_roster,
    read_roster_file,
)
from centers.services import RosterError, add_program, add_staff
from lms.accounts.models import User
from lms.organizations.models import RosterImport, RosterImportStatus, StaffMember
from tests.centers.builders import center_with_manager
from tests.factories import UserFactory

BAD_FILE = (
    "Email,Name,Job role,Program\n"
    "ana@sunrise.test,Ana Ruiz,Home visitor,Early Head Start\n"
    ",No Address,Teacher,\n"
    "not-an-address,Bad Address,,\n"
    "ANA@Sunrise.test,Ana Again,,\n"
    "ben@sunrise.test,Ben Okoro,,Night Owls\n"
    "\n"
    "sam@example.test,Sam Delgado,Coach,home visiting\n"
)


@pytest.fixture
def center(db):
    center, manager = center_with_manager()
    add_program(center=center, name="Early Head Start")
    add_program(center=center, name="Home Visiting")
    return center, manager


def upload(client, text, name="roster.csv"):
    return client.post(
        "/centers/sunrise/roster/upload/",
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_each_bad_line_is_reported_by_number(client, center):
    center, manager = center
    UserFactory(email="sam@example.test")
    client.force_login(manager)
    response = upload(client, BAD_FILE)
    batch = RosterImport.objects.get()
    assert response["Location"] == f"/centers/sunrise/roster/upload/{batch.pk}/"
    outcomes = {row["line"]: (row["outcome"], row["message"]) for row in batch.rows}
    assert outcomes[2][0] == "new"
    assert outcomes[3] == ("error", "No e-mail address.")
    assert outcomes[4] == ("error", "“not-an-address” is not a valid e-mail address.")
    assert outcomes[5] == ("error", "Duplicate: ANA@Sunrise.test is already on line 2.")
    assert outcomes[6][0] == "error" and "Unknown program “Night Owls”" in outcomes[6][1]
    assert outcomes[8][0] == "existing"  # line 7 is blank
    page = client.get(response["Location"]).content.decode()
    assert "4 lines have errors" in page and "Import only the 2 valid lines" in page
    # Reading changed nothing but the stored preview.
    assert not StaffMember.objects.exists()
    assert User.objects.filter(email__iexact="ana@sunrise.test").count() == 0


def test_a_file_with_errors_imports_nothing_until_the_valid_lines_are_confirmed(
    client, center, django_capture_on_commit_callbacks
):
    center, manager = center
    own = UserFactory(email="sam@example.test", first_name="Sam", last_name="Own")
    client.force_login(manager)
    upload(client, BAD_FILE)
    batch = RosterImport.objects.get()
    preview = f"/centers/sunrise/roster/upload/{batch.pk}/"

    client.post(preview, {"action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == RosterImportStatus.PREVIEW
    assert not StaffMember.objects.exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview, {"action": "confirm", "valid_rows_only": "yes"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == RosterImportStatus.CONFIRMED
    staff = {s.user.email.lower(): s for s in StaffMember.objects.select_related("user", "program")}
    assert set(staff) == {"ana@sunrise.test", "sam@example.test"}
    assert staff["ana@sunrise.test"].program.name == "Early Head Start"
    assert staff["sam@example.test"].program.name == "Home Visiting"
    assert staff["sam@example.test"].user == own
    own.refresh_from_db()
    assert own.last_name == "Own"  # the account is theirs: the file's name does not change it
    assert sorted(m.to[0].lower() for m in mail.outbox) == ["ana@sunrise.test", "sam@example.test"]
    # Confirming twice (a double click) imports nothing more.
    with pytest.raises(RosterError):
        confirm_roster_import(roster_import=batch, by=manager, valid_rows_only=True)
    assert StaffMember.objects.count() == 2


def test_a_clean_file_imports_on_confirmation_and_skips_people_already_on_the_roster(
    client, center, django_capture_on_commit_callbacks
):
    center, manager = center
    add_staff(center=center, email="Ana@Sunrise.test")
    data = b"email,name\nana@sunrise.test,Ana\nzoe@sunrise.test,Zoe Park\n"
    batch = read_roster_file(center=center, data=data, filename="staff.csv", by=manager)
    assert [r["outcome"] for r in batch.rows] == ["on_roster", "new"]
    with django_capture_on_commit_callbacks(execute=True):
        added = confirm_roster_import(roster_import=batch, by=manager)
    assert added == 1 and StaffMember.objects.count() == 2 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,program\nAna,\n", "“email”"),
        (b"email\n", "no staff lines"),
        ("email\nzoë@sunrise.test\n".encode("latin-1"), "UTF-8"),
        (b"email\n" + b"a@b.test\n" * 5001, "more than 5000"),
    ],
)
def test_unreadable_files_are_refused_whole(data, message):
    with pytest.raises(RosterFileError, match=message):
        parse_roster(data)


def test_headings_are_read_loosely():
    rows = parse_roster(
        "\ufeffE-mail,Full name,Job_Title,Programme\nx@y.test,X Y,Coach,EHS\n".encode()
    )
    assert rows == [
        {"line": 2, "email": "x@y.test", "name": "X Y", "job_role": "Coach", "program": "EHS"}
    ]


def test_an_upload_error_is_shown_on_the_form(client, center):
    _, manager = center
    client.force_login(manager)
    response = upload(client, "name\nAna\n")
    assert response.status_code == 200
    assert "at least “email”" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_discarding_imports_nothing(client, center):
    center, manager = center
    batch = read_roster_file(
        center=center, data=b"email\na@sunrise.test\n", filename="", by=manager
    )
    client.force_login(manager)
    client.post(f"/centers/sunrise/roster/upload/{batch.pk}/", {"action": "discard"})
    batch.refresh_from_db()
    assert batch.status == RosterImportStatus.DISCARDED and not StaffMember.objects.exists()

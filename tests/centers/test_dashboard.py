"""The manager's dashboard and CSV export show exactly what each person's consent allows,
in a fixed number of queries, and the export streams."""

import csv
import datetime
import gc
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centers.services import add_program, assign_seats
from courses.models import Enrollment, EnrollmentSource, EnrollmentStatus
from lms.accounts.models import ConsentScope, LearnerProfile, SharingConsent, User
from lms.accounts.services import revoke_consent
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Endorsement
from lms.organizations.models import ContractTraining, SeatAssignment, StaffMember, StaffStatus
from tests.centers.builders import center_with_manager, contract, finish, line, staff
from tests.lms.endorsement.factories import requirement_set
from tests.lms.records.factories import issue

RENEWAL_DUE = datetime.date(2027, 3, 31)


def set_target(user, association, code="IFS"):
    profile = user.profile
    profile.association = association
    profile.target_category = EndorsementCategory.objects.get(code=code)
    profile.save()


@pytest.fixture
def team(great_lakes, course):
    """Three people with seats in the course: one invited, one joined who shares nothing more,
    one joined who shares the portfolio. Both joined finished the course and hold an older
    record and an endorsement of their own."""
    center, manager = center_with_manager()
    program = add_program(center=center, name="Early Head Start")
    made = contract(great_lakes, center, [course], seats=10)
    requirement_set(great_lakes, "IFS", rules=[{"kind": "training_hours", "min_hours": "30"}])
    invited = staff(center, "ivy@sunrise.test", name="Ivy Invited", joined=False)
    private = staff(center, "pat@sunrise.test", name="Pat Private", program=program)
    sharing = staff(center, "sol@sunrise.test", name="Sol Sharing", share=True)
    assign_seats(
        contract_training=line(made, course), staff=[invited, private, sharing], by=manager
    )
    for person in (private, sharing):
        finish(person.user, course)
        issue(person.user, area_hours={"REF": Decimal("4")}, duration_hours=Decimal("4"))
        set_target(person.user, great_lakes)
        Endorsement.objects.create(
            learner=person.user,
            association=great_lakes,
            category=EndorsementCategory.objects.get(code="IFA"),
            endorsed_on=datetime.date(2025, 3, 1),
            renewal_due=RENEWAL_DUE,
        )
    return {
        "center": center,
        "manager": manager,
        "invited": invited,
        "private": private,
        "sharing": sharing,
    }


def row_html(html: str, email: str) -> str:
    start = html.index(f'data-staff="{email}"')
    return html[start : html.index("</tr>", start)]


def export(client, **params) -> dict[str, dict]:
    response = client.get("/centers/sunrise/staff.csv", params)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    return {row["E-mail"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_dashboard_shows_exactly_what_consent_allows(client, team):
    client.force_login(team["manager"])
    html = client.get("/centers/sunrise/").content.decode()

    invited = row_html(html, "ivy@sunrise.test")
    assert "seat assigned, not joined yet" in invited and "Completed" not in invited

    private = row_html(html, "pat@sunrise.test")
    assert "Completed" in private and "Early Head Start" in private
    assert "1.50 h" in private and "contracted trainings" in private
    assert "Not shared" in private
    assert "Reflection" not in private and "Infant" not in private and "2027" not in private

    sharing = row_html(html, "sol@sunrise.test")
    assert "5.50 h" in sharing and "full portfolio" in sharing
    assert "Infant Family Specialist" in sharing  # target category
    assert "0 of 1 requirements met" in sharing
    assert "31 Mar 2027" in sharing


def test_the_export_shows_exactly_what_consent_allows(client, team):
    client.force_login(team["manager"])
    rows = export(client)
    assert set(rows) == {"ivy@sunrise.test", "pat@sunrise.test", "sol@sunrise.test"}
    private, sharing, invited = (
        rows["pat@sunrise.test"],
        rows["sol@sunrise.test"],
        rows["ivy@sunrise.test"],
    )
    assert private["Shares portfolio"] == "no"
    assert private["Hours counted from"] == "Contracted trainings"
    assert Decimal(private["Total hours"]) == Decimal("1.5")
    assert Decimal(private["Reflection (REF) hours"]) == 0
    assert private["Target category"] == private["Readiness"] == private["Renewal due"] == ""
    assert "Completed" in private["Assigned trainings"]

    assert sharing["Shares portfolio"] == "yes"
    assert Decimal(sharing["Total hours"]) == Decimal("5.5")
    assert Decimal(sharing["Reflection (REF) hours"]) == 4
    assert sharing["Target category"].startswith("Infant Family Specialist")
    assert sharing["Readiness"] == "0 of 1 requirements met"
    assert sharing["Still missing"] == "24.5 hours more of training (5.5 of 30 so far)."
    assert sharing["Renewal due"] == "2027-03-31"

    assert invited["Assigned trainings"].endswith("seat assigned")
    assert invited["Total hours"] == invited["Trainings completed"] == ""


def test_revoking_consent_takes_effect_at_once(client, team):
    client.force_login(team["manager"])
    assert "31 Mar 2027" in row_html(
        client.get("/centers/sunrise/").content.decode(), "sol@sunrise.test"
    )
    revoke_consent(
        user=team["sharing"].user, organization=team["center"], scope=ConsentScope.CENTER_PORTFOLIO
    )
    sharing = row_html(client.get("/centers/sunrise/").content.decode(), "sol@sunrise.test")
    assert "Not shared" in sharing and "2027" not in sharing and "5.50 h" not in sharing
    row = export(client)["sol@sunrise.test"]
    assert row["Renewal due"] == row["Readiness"] == "" and Decimal(row["Total hours"]) == Decimal(
        "1.5"
    )


def test_leaving_the_center_ends_all_sharing(client, team):
    from centers.services import leave_center

    leave_center(staff=team["sharing"], user=team["sharing"].user)
    client.force_login(team["manager"])
    html = client.get("/centers/sunrise/").content.decode()
    assert "sol@sunrise.test" not in html
    assert "sol@sunrise.test" not in export(client)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "pat"}, {"pat@sunrise.test"}),
        ({"program": "PROGRAM"}, {"pat@sunrise.test"}),
        ({"staff_status": "invited"}, {"ivy@sunrise.test"}),
        ({"progress": "completed"}, {"pat@sunrise.test", "sol@sunrise.test"}),
        ({"readiness": "not_shared"}, {"ivy@sunrise.test", "pat@sunrise.test"}),
        ({"readiness": "not_ready"}, {"sol@sunrise.test"}),
        ({"readiness": "ready"}, set()),
        ({"training": "TRAINING", "progress": "not_started"}, set()),
    ],
)
def test_filters_apply_to_the_page_and_the_export(client, team, course, params, expected):
    params = {
        key: {"PROGRAM": str(team["private"].program_id), "TRAINING": str(course.pk)}.get(v, v)
        for key, v in params.items()
    }
    client.force_login(team["manager"])
    response = client.get("/centers/sunrise/", params)
    shown = {row.staff.user.email for row in response.context["data"].rows}
    assert shown == expected
    assert set(export(client, **params)) == expected


def test_the_chart_sums_hours_by_area_as_shared(client, team):
    client.force_login(team["manager"])
    bars = {bar.code: bar.value for bar in client.get("/centers/sunrise/").context["data"].bars}
    # The course gives 1.5 h of TF to each of two people; only Sol's REF record is shared.
    assert bars["TF"] == Decimal("3.0") and bars["REF"] == Decimal("4")


# ---------------------------------------------------------------------------------------------
# Size: a fixed number of queries, and an export whose memory does not grow with its rows


def roster_of(center, made, course, size):
    """``size`` joined staff with seats in ``course``: a third finished it, half share their
    portfolio. Rows written in bulk, as an import of a large roster leaves them."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{size}-{i}@sunrise.test", first_name="Staff", last_name=f"{i:05d}")
            for i in range(size)
        ]
    )
    LearnerProfile.objects.bulk_create([LearnerProfile(user=u) for u in users])
    people = StaffMember.objects.bulk_create(
        [
            StaffMember(center=center, user=u, status=StaffStatus.ACTIVE, joined_at=now)
            for u in users
        ]
    )
    target = line(made, course)
    SeatAssignment.objects.bulk_create(
        [SeatAssignment(contract=made, contract_training=target, staff=p) for p in people]
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                learner=u,
                training_id=course.pk,
                source=EnrollmentSource.SEAT,
                status=EnrollmentStatus.COMPLETED if i % 3 == 0 else EnrollmentStatus.ACTIVE,
                completed_at=now if i % 3 == 0 else None,
            )
            for i, u in enumerate(users)
        ]
    )
    SharingConsent.objects.bulk_create(
        [
            SharingConsent(
                user=u, organization=center, scope=ConsentScope.CENTER_PORTFOLIO, granted_at=now
            )
            for u in users[::2]
        ]
    )


@pytest.fixture
def big(great_lakes, course, team):
    made = contract(great_lakes, team["center"], [], seats=10_000, title="Large contract")
    ContractTraining.objects.create(contract=made, training=course)
    return team["center"], made


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, team, big, course, django_assert_max_num_queries
):
    center, made = big
    client.force_login(team["manager"])
    roster_of(center, made, course, 47)
    client.get("/centers/sunrise/")  # the site's brand and catalog link, then cached
    connection.queries_log.clear()  # a full log would capture nothing
    with django_assert_max_num_queries(20) as small:
        response = client.get("/centers/sunrise/")
    assert len(response.context["data"].rows) == 50
    first_count = len(small.captured_queries)  # read before the log is cleared again
    roster_of(center, made, course, 450)
    client.get("/centers/sunrise/")
    connection.queries_log.clear()
    with django_assert_max_num_queries(first_count):
        response = client.get("/centers/sunrise/")
    assert len(response.context["data"].rows) == 500


def peak_while_streaming(client) -> tuple[int, int]:
    response = client.get("/centers/sunrise/staff.csv")
    lines = 0
    gc.collect()
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines, peak


def test_the_export_streams_in_batches(client, team, big, course, monkeypatch):
    monkeypatch.setattr("centers.dashboard.EXPORT_BATCH", 50)
    center, made = big
    client.force_login(team["manager"])
    roster_of(center, made, course, 97)
    response = client.get("/centers/sunrise/staff.csv")
    with CaptureQueriesContext(connection) as first:
        header = next(iter(response.streaming_content))
    assert header.startswith(b"Name,E-mail") and len(first.captured_queries) <= 2

    small_lines, small_peak = peak_while_streaming(client)
    roster_of(center, made, course, 1900)
    large_lines, large_peak = peak_while_streaming(client)
    assert (small_lines, large_lines) == (101, 2001)
    # Twenty times the rows, read fifty at a time: the peak stays about that of one batch
    # (rows kept alive across batches made it grow by half a megabyte per thousand rows).
    assert large_peak < small_peak * 1.6

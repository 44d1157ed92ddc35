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
from django.utils.formats import date_format

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


def shown(day: datetime.date) -> str:
    """A date as the page writes it in the active language."""
    return date_format(day, "DATE_FORMAT")


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
    assert shown(RENEWAL_DUE) in sharing


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
    assert shown(RENEWAL_DUE) in row_html(
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


def test_the_hours_chart_adds_up_only_portfolios_shared_with_the_center(client, team):
    client.force_login(team["manager"])
    summary = client.get("/centers/sunrise/").context["summary"]
    hours = {point.key: point.value for point in summary.hours}
    # Sol shares: the course's 1.5 h of TF and their own 4 h of REF. Pat joined without
    # sharing their portfolio: their row shows the course's hours, the chart nothing of them.
    assert hours["TF"] == Decimal("1.5") and hours["REF"] == Decimal("4")
    assert summary.sharing == 1


# ---------------------------------------------------------------------------------------------
# Size: a fixed number of queries, and an export whose memory does not grow with its rows


def roster_of(center, made, course, size, *, association=None):
    """``size`` joined staff with seats in ``course``: a third finished it, half share their
    portfolio. Rows written in bulk, as an import of a large roster leaves them. With an
    ``association``, those who share target its IFS category and every other one of them
    holds it, so that readiness is evaluated for initial and renewal requirements alike."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{size}-{i}@sunrise.test", first_name="Staff", last_name=f"{i:05d}")
            for i in range(size)
        ]
    )
    sharing = users[::2]
    target = EndorsementCategory.objects.get(code="IFS") if association else None
    targeted = {u.pk for u in sharing} if association else set()
    LearnerProfile.objects.bulk_create(
        [
            LearnerProfile(
                user=u,
                association=association if u.pk in targeted else None,
                target_category=target if u.pk in targeted else None,
            )
            for u in users
        ]
    )
    if association:
        Endorsement.objects.bulk_create(
            [
                Endorsement(
                    learner=u,
                    association=association,
                    category=target,
                    endorsed_on=datetime.date(2024, 1, 1),
                    renewal_due=RENEWAL_DUE,
                )
                for u in sharing[::2]
            ]
        )
    people = StaffMember.objects.bulk_create(
        [
            StaffMember(center=center, user=u, status=StaffStatus.ACTIVE, joined_at=now)
            for u in users
        ]
    )
    seat_line = line(made, course)
    SeatAssignment.objects.bulk_create(
        [SeatAssignment(contract=made, contract_training=seat_line, staff=p) for p in people]
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
            for u in sharing
        ]
    )


@pytest.fixture
def big(great_lakes, course, team):
    made = contract(great_lakes, team["center"], [], seats=10_000, title="Large contract")
    ContractTraining.objects.create(contract=made, training=course)
    return team["center"], made


def dashboard_queries(client, django_assert_max_num_queries, most):
    client.get("/centers/sunrise/")  # the site's brand and catalog link, then cached
    connection.queries_log.clear()  # a full log would capture nothing
    with django_assert_max_num_queries(most) as captured:
        response = client.get("/centers/sunrise/")
    return response, len(captured.captured_queries)  # read before the log is cleared again


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, team, big, course, great_lakes, django_assert_max_num_queries
):
    """From 10 to 500 people, half of them measured for their target (initial or renewal
    requirements), the summary, charts and table take the same queries."""
    requirement_set(
        great_lakes, "IFS", kind="renewal", rules=[{"kind": "training_hours", "min_hours": "1"}]
    )
    center, made = big
    client.force_login(team["manager"])
    roster_of(center, made, course, 7, association=great_lakes)
    response, small = dashboard_queries(client, django_assert_max_num_queries, 20)
    assert len(response.context["data"].rows) == 10
    summary = response.context["summary"]
    assert (summary.target.total, summary.renewal.total) == (1 + 2, 2)
    roster_of(center, made, course, 490, association=great_lakes)
    response, large = dashboard_queries(client, django_assert_max_num_queries, small)
    summary = response.context["summary"]
    assert len(response.context["data"].rows) == 500
    assert (summary.target.total, summary.renewal.total) == (1 + 2 + 122, 2 + 123)
    assert large == small, (small, large)


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

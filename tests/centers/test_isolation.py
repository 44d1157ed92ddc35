"""Tenant isolation: a manager of one center never reaches another center's staff, contracts,
seats, files or data, and a person on two rosters shares with each only what they chose."""

import pytest

from centers.roster_import import read_roster_file
from centers.services import assign_seats
from lms.organizations.models import SeatAssignment, SeatStatus, StaffMember
from tests.centers.builders import center_with_manager, contract, finish, line, staff
from tests.centers.test_dashboard import export, row_html


@pytest.fixture
def two_centers(great_lakes, course):
    """Sunrise and Northside, each with a contract, a seat holder and a roster file; Dana is on
    both rosters and shares her portfolio with Northside only."""
    sunrise, sunrise_manager = center_with_manager()
    northside, northside_manager = center_with_manager("northside", "Northside Clinic")
    sunrise_contract = contract(great_lakes, sunrise, [course], title="Sunrise contract")
    northside_contract = contract(great_lakes, northside, [course], title="Northside contract")
    sam = staff(sunrise, "sam@sunrise.test", name="Sam Sunrise")
    nora = staff(northside, "nora@northside.test", name="Nora Northside")
    dana_sunrise = staff(sunrise, "dana@both.test", name="Dana Both")
    dana_northside = staff(northside, "dana@both.test", name="Dana Both", share=True)
    assign_seats(contract_training=line(sunrise_contract, course), staff=[sam], by=sunrise_manager)
    assign_seats(
        contract_training=line(northside_contract, course),
        staff=[nora, dana_northside],
        by=northside_manager,
    )
    finish(dana_northside.user, course)
    northside_file = read_roster_file(
        center=northside,
        data=b"email,name\nnew@northside.test,New Person\n",
        filename="northside.csv",
        by=northside_manager,
    )
    return {
        "sunrise_manager": sunrise_manager,
        "nora": nora,
        "dana_sunrise": dana_sunrise,
        "northside_seat": SeatAssignment.objects.get(staff=nora),
        "northside_file": northside_file,
    }


def test_a_manager_sees_only_their_own_center(client, two_centers):
    client.force_login(two_centers["sunrise_manager"])
    html = client.get("/centers/sunrise/").content.decode()
    assert "sam@sunrise.test" in html and "nora@northside.test" not in html
    assert set(export(client)) == {"sam@sunrise.test", "dana@both.test"}
    contracts = client.get("/centers/sunrise/contracts/").content.decode()
    assert "Sunrise contract" in contracts and "Northside contract" not in contracts
    roster = client.get("/centers/sunrise/roster/").content.decode()
    assert "Nora" not in roster
    seats = client.get("/centers/sunrise/seats/").content.decode()
    assert "Nora" not in seats and "Northside" not in seats


@pytest.mark.parametrize(
    "path",
    [
        "/centers/northside/",
        "/centers/northside/staff.csv",
        "/centers/northside/contracts/",
        "/centers/northside/roster/",
        "/centers/northside/roster/upload/",
        "/centers/northside/seats/",
    ],
)
def test_another_centers_pages_do_not_exist_for_a_manager(client, two_centers, path):
    client.force_login(two_centers["sunrise_manager"])
    assert client.get(path).status_code == 404


def test_another_centers_people_seats_and_files_cannot_be_reached_through_ones_own(
    client, two_centers
):
    client.force_login(two_centers["sunrise_manager"])
    nora, seat, roster_file = (
        two_centers["nora"],
        two_centers["northside_seat"],
        two_centers["northside_file"],
    )
    assert client.get(f"/centers/sunrise/roster/{nora.pk}/").status_code == 404
    refused = client.post(f"/centers/sunrise/roster/{nora.pk}/", {"action": "remove"})
    assert refused.status_code == 404
    assert client.post(f"/centers/sunrise/seats/{seat.pk}/release/").status_code == 404
    preview = f"/centers/sunrise/roster/upload/{roster_file.pk}/"
    assert client.get(preview).status_code == 404
    assert client.post(preview, {"action": "confirm"}).status_code == 404
    # Nothing changed on Northside's side.
    nora.refresh_from_db()
    seat.refresh_from_db()
    roster_file.refresh_from_db()
    assert nora.status == "active" and seat.status == SeatStatus.ASSIGNED
    assert roster_file.status == "preview"
    assert not StaffMember.objects.filter(user__email="new@northside.test").exists()


def test_a_seat_cannot_be_given_to_another_centers_staff(client, two_centers, course):
    client.force_login(two_centers["sunrise_manager"])
    sunrise_line = SeatAssignment.objects.get(staff__user__email="sam@sunrise.test")
    response = client.post(
        "/centers/sunrise/seats/",
        {"contract_training": sunrise_line.contract_training_id, "staff": [two_centers["nora"].pk]},
        follow=True,
    )
    assert "Choose a training of an open contract" in response.content.decode()
    assert not SeatAssignment.objects.filter(
        staff=two_centers["nora"], contract__center__slug="sunrise"
    ).exists()


def test_consent_given_to_one_center_is_not_shared_with_another(client, two_centers):
    """Dana shares her portfolio with Northside and finished Northside's training: Sunrise,
    where she holds no seat and shares nothing, sees neither."""
    client.force_login(two_centers["sunrise_manager"])
    row = row_html(client.get("/centers/sunrise/").content.decode(), "dana@both.test")
    assert "Not shared" in row and "Completed" not in row and "1.50 h" not in row
    dana = export(client)["dana@both.test"]
    assert dana["Shares portfolio"] == "no" and dana["Assigned trainings"] == ""
    assert dana["Readiness"] == "" and not dana["Total hours"].strip("0.")

"""Journey: a center manager in Chromium uploads a roster file (dry-run preview with errors by
line, then confirms the valid lines), a staff member with an account joins and opts in to
share their portfolio, the manager assigns seats on the contract, the staff member completes
the training, and the manager sees their progress and readiness on the dashboard."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from centers.services import add_program
from lms.accounts.services import get_or_create_profile
from lms.organizations.models import StaffMember
from tests.centers.builders import center_with_manager, contract
from tests.centers.test_dashboard import set_target
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, training
from tests.e2e.axe import serious_violations
from tests.factories import UserFactory
from tests.lms.endorsement.factories import requirement_set

pytestmark = pytest.mark.e2e

ROSTER = (
    "email,name,job role,program\n"
    "sol@sunrise.test,Sol Reyes,Home visitor,Home Visiting\n"
    "nia@sunrise.test,Nia Park,Infant-toddler teacher,Home Visiting\n"
    ",Nobody,Teacher,\n"
    "SOL@sunrise.test,Sol again,,\n"
    "kim@sunrise.test,Kim Lee,Teacher,Night Shift\n"
)


def row(page, email):
    return page.locator(f'tr[data-staff="{email}"]')


def test_manager_imports_a_roster_assigns_seats_and_sees_progress(
    browser_page, chromium, live_server, framework, transactional_db
):
    # The association's site answers on the live server, so that the training's own pages
    # (where the learner lands after attesting) are on the same host as everything else.
    great_lakes = association(
        "great-lakes",
        name="Great Lakes Association",
        hostname="localhost",
        port=urlparse(live_server.url).port,
    )
    course = training(great_lakes, "Reading a baby's cues", require_evaluation=False)
    requirement_set(great_lakes, "IFS", rules=[{"kind": "training_hours", "min_hours": "1.5"}])
    center, manager = center_with_manager()
    add_program(center=center, name="Home Visiting")
    contract(great_lakes, center, [course], seats=2, title="Home visitors 2026")
    sol = UserFactory(email="sol@sunrise.test", first_name="Sol", last_name="Reyes")
    get_or_create_profile(user=sol)
    set_target(sol, great_lakes)

    page = browser_page
    sign_in(page, manager.email)

    # 1. Upload the roster: a dry run first, every bad line reported by its number.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Centers").click()
    page.get_by_role("link", name="Sunrise Family Services").click()
    page.get_by_role("link", name="Roster").click()
    page.get_by_role("link", name="Upload a roster file (CSV)").click()
    page.get_by_label("Roster file (CSV)").set_input_files(
        {"name": "sunrise-staff.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster file: sunrise-staff.csv")
    expect(page.get_by_role("alert")).to_contain_text("3 lines have errors")
    report = page.get_by_role("table", name="What each line of the file does")
    expect(report.locator('tr[data-line="2"]')).to_have_attribute("data-outcome", "existing")
    expect(report.locator('tr[data-line="3"]')).to_have_attribute("data-outcome", "new")
    for line in (4, 5, 6):
        expect(report.locator(f'tr[data-line="{line}"]')).to_have_attribute("data-outcome", "error")
    expect(report.locator('tr[data-line="6"]')).to_contain_text("Night Shift")
    screenshot(page, "center", "roster-preview")
    assert not serious_violations(page, name="center-roster-preview")
    assert not StaffMember.objects.exists()  # nothing imported by the dry run

    # Confirming needs the explicit choice to import only the valid lines.
    page.get_by_label(re.compile("Import only the 2 valid lines")).check()
    page.get_by_role("button", name="Import and invite 2 people").click()
    expect(page.get_by_text("2 people were added and invited.")).to_be_visible()
    roster = page.get_by_role("table", name=re.compile("On the roster"))
    expect(roster.get_by_role("row")).to_have_count(3)
    expect(roster.get_by_role("row", name=re.compile("Sol Reyes"))).to_contain_text("Invited")
    screenshot(page, "center", "roster")

    # 2. Sol answers the invitation with the account they already have and opts in.
    invitation = next(m for m in mail.outbox if m.to == ["sol@sunrise.test"])
    link = urlparse(re.search(r"https?://\S+/centers/join/\S+/", invitation.body).group(0)).path
    sol_context = chromium.new_context(base_url=live_server.url)
    sol_context.set_default_timeout(15_000)
    sol_page = sol_context.new_page()
    try:
        sign_in(sol_page, "sol@sunrise.test")
        sol_page.goto(link)
        sol_page.get_by_label(
            "Also share my portfolio and endorsement readiness with the center's managers"
        ).check()
        sol_page.get_by_role("button", name="Join Sunrise Family Services").click()
        expect(sol_page.get_by_text("You joined Sunrise Family Services.")).to_be_visible()
        expect(
            sol_page.get_by_role("row", name=re.compile("Sunrise Family Services"))
        ).to_contain_text("Shared")

        # 3. The manager assigns both seats of the contract; assignment enrolls.
        page.get_by_role("link", name="Seats").click()
        seats = page.get_by_role("group", name="Assign seats in Reading a baby's cues")
        seats.get_by_label(re.compile("Sol Reyes")).check()
        seats.get_by_label(re.compile("Nia Park")).check()
        page.get_by_role("button", name="Assign seats in Reading a baby's cues").click()
        expect(page.get_by_text("2 seats in “Reading a baby's cues” assigned")).to_be_visible()
        expect(page.get_by_text("seats used 2 of 2")).to_be_visible()
        screenshot(page, "center", "seats")
        assert not serious_violations(page, name="center-seats")

        page.get_by_role("link", name="Dashboard").click()
        expect(row(page, "sol@sunrise.test")).to_contain_text("Not started")
        expect(row(page, "sol@sunrise.test")).to_contain_text("0 of 1 requirements met")

        # 4. Sol completes the training (attests) and the record is issued.
        sol_page.goto(f"/learning/trainings/{course.pk}/evaluation/")
        sol_page.get_by_label("I completed this training myself.").check()
        sol_page.get_by_role("button", name="Submit").click()
        expect(
            sol_page.get_by_text("Thank you. Your training record has been issued.")
        ).to_be_visible()
    finally:
        sol_context.close()

    # 5. The manager sees Sol's progress and, as Sol shares it, the readiness.
    page.reload()
    sol_row = row(page, "sol@sunrise.test")
    expect(sol_row).to_contain_text("Reading a baby's cues: Completed")
    expect(sol_row).to_contain_text("1.50 h (full portfolio)")
    expect(sol_row).to_contain_text("Infant Family Specialist (IFS)")
    expect(sol_row).to_contain_text("Ready to apply")
    expect(row(page, "nia@sunrise.test")).to_contain_text("seat assigned, not joined yet")
    expect(row(page, "nia@sunrise.test")).to_contain_text("Not shared")
    screenshot(page, "center", "dashboard")

"""Journey: a center manager in Chromium, under the production Content Security Policy, reads
the dashboard's summary first (who is on track, the readiness chart, hours per area), opens
the filter drawer, goes to the seats, and releases a seat after confirming: the contract's
meter gives it back. Each screen passes axe (no serious or critical violation) and nothing
scrolls sideways at 390 px."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from centers.services import assign_seats
from lms.competencies.models import EndorsementCategory
from lms.endorsement.models import Endorsement
from tests.centers.builders import center_with_manager, contract, line, staff
from tests.centers.test_dashboard import set_target
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, training
from tests.e2e.axe import AXE_SCRIPT
from tests.e2e.test_every_page import check
from tests.lms.accounts.test_csp_browser import Violations
from tests.lms.endorsement.factories import requirement_set
from tests.lms.records.factories import issue

pytestmark = pytest.mark.e2e


def row(page, email):
    return page.locator(f'tr[data-staff="{email}"]')


def fits_a_phone_and_passes_axe(page, label, errors):
    """The every-page check on the page as it stands: 390×844 and 1280×800, no sideways
    scroll, no serious or critical axe violation, no console error (screenshots of both
    sizes in test-artifacts/every-page/center-<label>-*.png)."""
    name = "center-" + re.sub(r"\W+", "-", label)
    failures = check(page, label=label, errors=errors, screenshot_name=name)
    assert not failures, "\n".join(failures)


@pytest.fixture
def sunrise(framework, transactional_db):
    """Sunrise's contract of three seats, two of them held: Sol shares a portfolio that
    meets the IFS requirements; Nia joined without sharing; Rae shares and is renewing IFS
    with hours still missing; Kim is invited."""
    great_lakes = association("great-lakes", name="Great Lakes Association")
    course = training(great_lakes, "Reading a baby's cues", require_evaluation=False)
    requirement_set(great_lakes, "IFS", rules=[{"kind": "training_hours", "min_hours": "3"}])
    requirement_set(
        great_lakes, "IFS", kind="renewal", rules=[{"kind": "training_hours", "min_hours": "30"}]
    )
    center, manager = center_with_manager()
    made = contract(great_lakes, center, [course], seats=3, title="Home visitors 2026")
    sol = staff(center, "sol@sunrise.test", name="Sol Reyes", share=True)
    nia = staff(center, "nia@sunrise.test", name="Nia Park")
    rae = staff(center, "rae@sunrise.test", name="Rae Okafor", share=True)
    staff(center, "kim@sunrise.test", name="Kim Lee", joined=False)
    issue(sol.user, area_hours={"TF": Decimal("2"), "REF": Decimal("1.5")})
    issue(rae.user, area_hours={"REF": Decimal("4")}, duration_hours=Decimal("4"))
    for person in (sol, rae):
        set_target(person.user, great_lakes)
    Endorsement.objects.create(
        learner=rae.user,
        association=great_lakes,
        category=EndorsementCategory.objects.get(code="IFS"),
        endorsed_on=datetime.date(2024, 4, 1),
        renewal_due=datetime.date(2027, 3, 31),
    )
    assign_seats(contract_training=line(made, course), staff=[sol, nia], by=manager)
    return manager


def test_manager_reads_the_summary_filters_in_the_drawer_and_releases_a_seat(
    browser_page, live_server, sunrise, settings
):
    settings.ATTUNE_CSP = True
    page = browser_page
    violations = Violations(page)
    # axe is given to every document before it loads: the policy refuses the inline script
    # the axe helper would otherwise add (and refuses nothing of ours).
    page.add_init_script(path=str(AXE_SCRIPT))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text[:200]) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    sign_in(page, sunrise.email)

    # 1. The summary comes first: who is on track, then the two charts, drawn by Chart.js.
    page.goto("/centers/sunrise/")
    summary = page.get_by_role("region", name="Summary")
    expect(summary.locator('[data-figure="on-track-target"]')).to_contain_text(
        re.compile(r"On track for their target category\s*1 of 1")
    )
    expect(summary.locator('[data-figure="on-track-renewal"]')).to_contain_text(
        re.compile(r"On track for renewal\s*0 of 1")
    )
    readiness = summary.get_by_role("img", name=re.compile("^Readiness of the staff shown"))
    expect(readiness).to_have_attribute("data-chart-drawn", "")
    expect(readiness).to_have_attribute(
        "aria-label",
        re.compile("Every requirement met 1; Half or more met 0; Fewer than half met 1"),
    )
    hours = summary.get_by_role("img", name=re.compile("^Portfolio hours per competency area"))
    expect(hours).to_have_attribute("data-chart-drawn", "")
    # The same numbers as a table, one click away.
    summary.get_by_text("Show the numbers").first.click()
    expect(
        summary.get_by_role("row", name=re.compile("Does not share a portfolio"))
    ).to_contain_text("2")
    box = page.locator("#readiness-chart").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 150  # drawn, not collapsed
    # The table comes after the summary, its filters closed in their drawer.
    staff_table = page.get_by_role("table", name="Staff", exact=True)
    expect(staff_table.get_by_role("row")).to_have_count(5)
    expect(page.get_by_role("combobox", name="Readiness", exact=True)).to_be_hidden()
    screenshot(page, "center-dashboard", "summary")
    fits_a_phone_and_passes_axe(page, "dashboard", errors)

    # 2. The drawer opens on a button; the filters it applies stay named when it is closed.
    page.get_by_text("Filters", exact=True).click()
    page.get_by_role("combobox", name="Readiness", exact=True).select_option(
        label="Does not share a portfolio"
    )
    fits_a_phone_and_passes_axe(page, "dashboard with the drawer open", errors)
    page.get_by_role("button", name="Show staff").click()
    expect(page.get_by_text("Filtered by")).to_contain_text("Readiness: Does not share a portfolio")
    expect(staff_table.locator("tbody tr")).to_have_count(2)
    expect(row(page, "nia@sunrise.test")).to_contain_text("Not shared")
    expect(row(page, "kim@sunrise.test")).to_contain_text("Not shared")
    expect(page.get_by_role("combobox", name="Readiness", exact=True)).to_be_hidden()
    expect(summary).to_contain_text("2 people shown of 4 on the roster")
    fits_a_phone_and_passes_axe(page, "dashboard filtered", errors)

    # 3. The seats: one meter for the contract, a Release that asks before it acts.
    page.get_by_role("navigation", name="Sunrise Family Services").get_by_role(
        "link", name="Seats"
    ).click()
    meter = page.get_by_role("meter", name="Seats used 2 of 3")
    expect(meter).to_have_attribute("value", "2")
    release = page.locator("[data-seat] summary", has_text="Nia Park's seat")
    expect(release).to_be_visible()
    colours = release.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert colours[0] != colours[1] and colours[1] not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, "center-dashboard", "seats")
    fits_a_phone_and_passes_axe(page, "seats", errors)
    release.click()
    confirm = page.get_by_role(
        "button", name="Release the seat of Nia Park in Reading a baby's cues"
    )
    expect(confirm).to_be_visible()
    fits_a_phone_and_passes_axe(page, "seats with a release to confirm", errors)
    confirm.click()
    expect(page.get_by_text("The seat went back to the contract")).to_be_visible()
    expect(page.get_by_role("meter", name="Seats used 1 of 3")).to_have_attribute("value", "1")
    expect(page.locator("[data-seat]", has_text="Nia Park")).to_have_count(0)
    expect(page.locator("[data-seat]", has_text="Sol Reyes")).to_have_count(1)
    violations.assert_none("center dashboard and seats")

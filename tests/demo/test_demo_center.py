"""The demo center: a manager signing in to the demo finds a contract, a roster, seats and a
staff member sharing their portfolio, and loading the demo twice changes nothing."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

from demo.centers import load_demo_center
from demo.loader import load_demo
from demo.requirements import load_demo_requirements
from lms.accounts.models import User
from lms.organizations.models import Contract, SeatAssignment, StaffMember
from tests.centers.test_dashboard import row_html


def test_the_manager_tries_the_dashboard_on_the_demo_center(framework, client):
    load_demo()
    load_demo_requirements()
    contract = Contract.objects.get(center__slug="sunrise-family-services")
    assert contract.status == "active" and contract.seats_used == 7  # one in the private cohort
    assert StaffMember.objects.filter(center=contract.center).count() == 5

    client.force_login(User.objects.get(email="manager@attune.example"))
    html = client.get("/centers/sunrise-family-services/").content.decode()
    sam = row_html(html, "staff@attune.example")
    assert "Attachment across the first year" in sam and "Completed" in sam
    assert "Culturally responsive practice with families" in sam and "Not started" in sam
    assert "full portfolio" in sam and "Infant Family Specialist (IFS)" in sam
    assert "requirements met" in sam
    keisha = row_html(html, "keisha.brown@sunrise.example")
    renewal = timezone.localdate() + datetime.timedelta(days=90)
    assert "full portfolio" in keisha and date_format(renewal) in keisha
    tara = row_html(html, "tara.nguyen@sunrise.example")
    assert "Completed" in tara and "Not shared" in tara
    assert "seat assigned, not joined yet" in row_html(html, "luis.romero@sunrise.example")

    before = (contract.seats_used, SeatAssignment.objects.count(), StaffMember.objects.count())
    load_demo_center()
    contract.refresh_from_db()
    after = (contract.seats_used, SeatAssignment.objects.count(), StaffMember.objects.count())
    assert after == before

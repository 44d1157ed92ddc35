"""The association admin's memberships screens in Wagtail's admin: plans (add, edit,
switch off, never deleted once held), the members list (filters, search, CSV), recording
dues paid by check and cancelling; each scoped to the admin's own association."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from commerce.memberships.models import (
    AssociationMembership,
    MembershipPlan,
    MembershipSource,
    MembershipStatus,
    MembershipTerm,
)
from commerce.memberships.services import add_term, cancel_membership
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.factories import OrganizationFactory, UserFactory

PLANS = "wagtailsnippets_commerce_memberships_membershipplan"


@pytest.fixture
def lakes(db):
    return OrganizationFactory(name="Lakes Association", slug="lakes")


@pytest.fixture
def prairie(db):
    return OrganizationFactory(name="Prairie Association", slug="prairie")


@pytest.fixture
def plan(lakes):
    return MembershipPlan.objects.create(association=lakes, name="Professional", annual_dues=7000)


@pytest.fixture
def prairie_plan(prairie):
    return MembershipPlan.objects.create(association=prairie, name="Prairie pro", annual_dues=5000)


@pytest.fixture
def admin(lakes):
    return member(lakes, Role.ADMIN)


@pytest.fixture
def stranger(prairie):
    """An administrator of another association."""
    return member(prairie, Role.ADMIN)


def joined(plan, **person):
    return add_term(
        person=UserFactory(**person), plan=plan, source=MembershipSource.PURCHASE, amount=7000
    ).membership


# Plans.


def test_admins_add_and_edit_their_plans_with_dues_in_their_currency(client, lakes, admin, plan):
    client.force_login(admin)
    response = client.post(
        reverse(f"{PLANS}:add"),
        {
            "name": "Student",
            "association": lakes.pk,
            "annual_dues": "35.50",
            "length_months": "12",
            "member_prices": "on",
            "active": "on",
            "sort_order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    student = MembershipPlan.objects.get(name="Student")
    assert student.annual_dues == 3550 and student.association == lakes
    listing = client.get(reverse(f"{PLANS}:list")).content.decode()
    assert "Student" in listing and "$35.50" in listing and "$70.00" in listing

    refused = client.post(
        reverse(f"{PLANS}:add"),
        {"name": "Junk", "association": lakes.pk, "annual_dues": "ten", "length_months": "12"},
    )
    assert refused.status_code == 200
    assert "Enter an amount like 60 or 60.00." in refused.content.decode()
    assert not MembershipPlan.objects.filter(name="Junk").exists()
    event = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_PLAN_CHANGED)
    assert event.actor == admin and event.organization_id == lakes.pk
    assert event.details["change"] == "created" and event.details["dues"] == 3550


def test_a_plan_with_members_is_switched_off_never_deleted(client, lakes, admin, plan):
    joined(plan)
    unused = MembershipPlan.objects.create(association=lakes, name="Unused", annual_dues=100)
    client.force_login(admin)

    # Wagtail refuses by sending the admin back to the dashboard.
    delete = reverse(f"{PLANS}:delete", args=[plan.pk])
    assert client.post(delete).status_code in (302, 403)
    assert MembershipPlan.objects.filter(pk=plan.pk).exists()
    assert delete not in client.get(reverse(f"{PLANS}:edit", args=[plan.pk])).content.decode()

    response = client.post(
        reverse(f"{PLANS}:edit", args=[plan.pk]),
        {
            "name": plan.name,
            "association": lakes.pk,
            "annual_dues": "70.00",
            "length_months": "12",
            "member_prices": "on",
            "sort_order": "0",
            # "active" unticked: no longer offered
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan.refresh_from_db()
    assert not plan.active
    assert AssociationMembership.objects.get().status == MembershipStatus.ACTIVE

    assert client.post(reverse(f"{PLANS}:delete", args=[unused.pk])).status_code == 302
    assert not MembershipPlan.objects.filter(pk=unused.pk).exists()
    changes = AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_PLAN_CHANGED)
    assert sorted(e.details["change"] for e in changes) == ["changed", "deleted"]


def test_another_associations_admin_neither_sees_nor_changes_a_plan(
    client, lakes, plan, stranger, prairie_plan
):
    client.force_login(stranger)
    listing = client.get(reverse(f"{PLANS}:list")).content.decode()
    assert "Prairie pro" in listing and "Professional" not in listing
    edit = reverse(f"{PLANS}:edit", args=[plan.pk])
    assert client.get(edit).status_code in (302, 403, 404)
    client.post(edit, {"name": "Taken", "association": lakes.pk, "annual_dues": "1"})
    assert client.post(reverse(f"{PLANS}:delete", args=[plan.pk])).status_code in (302, 403, 404)
    plan.refresh_from_db()
    assert plan.name == "Professional" and plan.annual_dues == 7000
    # Nor can a plan be filed under an association one does not manage.
    client.post(
        reverse(f"{PLANS}:add"),
        {"name": "Planted", "association": lakes.pk, "annual_dues": "1", "length_months": "12"},
    )
    assert not MembershipPlan.objects.filter(name="Planted").exists()


def test_editors_have_no_plans_screen(client, lakes, plan):
    client.force_login(member(lakes, Role.EDITOR))
    assert client.get(reverse(f"{PLANS}:list")).status_code in (302, 403)
    assert client.get(reverse("memberships_admin:members")).status_code in (302, 403)


# Members.


def test_the_members_list_filters_by_status_and_searches_name_or_email(
    client, admin, plan, prairie_plan
):
    ada = joined(plan, first_name="Ada", last_name="Lovelace", email="ada@lakes.test")
    grace = joined(plan, first_name="Grace", last_name="Hopper", email="grace@lakes.test")
    cancel_membership(membership=grace, by=admin, reason="Moved away")
    joined(prairie_plan, first_name="Other", last_name="Tenant", email="other@prairie.test")
    client.force_login(admin)
    url = reverse("memberships_admin:members")

    everyone = client.get(url).content.decode()
    assert "ada@lakes.test" in everyone and "grace@lakes.test" in everyone
    assert "other@prairie.test" not in everyone
    assert "Paid online" in everyone and "$70.00" in everyone

    running = client.get(url, {"status": "active"}).content.decode()
    assert "ada@lakes.test" in running and "grace@lakes.test" not in running
    cancelled = client.get(url, {"status": "cancelled"}).content.decode()
    assert "grace@lakes.test" in cancelled and "Moved away" in cancelled
    assert "ada@lakes.test" not in client.get(url, {"q": "hopper"}).content.decode()
    assert "ada@lakes.test" in client.get(url, {"q": "ADA@lakes"}).content.decode()
    assert ada.pk  # the row links to its page
    assert reverse("memberships_admin:cancel", args=[ada.pk]) in everyone


def test_the_members_list_reads_a_fixed_number_of_queries(
    client, admin, plan, django_assert_max_num_queries
):
    for n in range(60):
        joined(plan, email=f"member{n}@lakes.test")
    client.force_login(admin)
    client.get(reverse("memberships_admin:members"))  # warm the session and admin caches
    with django_assert_max_num_queries(20):
        page = client.get(reverse("memberships_admin:members")).content.decode()
    assert page.count('/cancel/"') == 50 and "Page 1 of 2" in page


def test_the_members_csv_holds_the_filtered_rows_as_text_and_is_audited(
    client, lakes, admin, plan, prairie_plan
):
    joined(plan, first_name="=HYPERLINK(1)", last_name="Evil", email="evil@lakes.test")
    joined(plan, email="fine@lakes.test")
    joined(prairie_plan, email="other@prairie.test")
    client.force_login(admin)

    response = client.get(reverse("memberships_admin:members_csv"), {"q": "evil"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["association", "member", "email"]
    assert len(rows) == 2
    assert rows[1][1].startswith("'=HYPERLINK") and rows[1][2] == "evil@lakes.test"
    assert rows[1][4] == "active" and rows[1][8] == "70.00" and rows[1][9] == "USD"
    event = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
    assert event.organization_id == lakes.pk and event.actor == admin
    everything = client.get(reverse("memberships_admin:members_csv")).content.decode()
    assert "fine@lakes.test" in everything and "other@prairie.test" not in everything


# Recording dues paid by check.


def _record(client, default_plan, **fields):
    data = {
        "email": "payer@lakes.test",
        "plan": default_plan.pk,
        "starts_on": timezone.localdate().isoformat(),
        "amount": "",
        "note": "Check 1042",
        "submission": "6f1c1a52-8d7e-4a51-9a51-0b6a3c2a1f00",
    }
    data.update(fields)
    return client.post(reverse("memberships_admin:record"), data)


def test_an_admin_records_a_membership_paid_by_check(client, lakes, admin, plan):
    payer = UserFactory(email="payer@lakes.test")
    client.force_login(admin)
    start = timezone.localdate() - datetime.timedelta(days=10)

    form = client.get(reverse("memberships_admin:record")).content.decode()
    assert 'name="submission"' in form and "Professional" in form
    response = _record(client, plan, email="PAYER@lakes.test", starts_on=start.isoformat())
    assert response.status_code == 302
    again = _record(client, plan, email="PAYER@lakes.test", starts_on=start.isoformat())
    assert again.status_code == 302  # the same form sent twice records once

    membership = AssociationMembership.objects.get(person=payer)
    assert membership.source == MembershipSource.ADMIN and membership.starts_on == start
    term = MembershipTerm.objects.get(membership=membership)
    assert term.amount == 7000 and term.note == "Check 1042" and term.recorded_by == admin
    event = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_RECORDED)
    assert event.actor == admin and event.organization_id == lakes.pk

    # A new form (a new token) for the same member renews from the end date.
    _record(client, plan, submission="0a7d6c0e-3f33-4b2a-9b6f-2f0d3b1c9e11", amount="65")
    membership.refresh_from_db()
    assert MembershipTerm.objects.filter(membership=membership).count() == 2
    assert membership.terms.last().amount == 6500


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "nobody@lakes.test"}, "Nobody has an account with this e-mail."),
        ({"amount": "ten"}, "Enter an amount like 60 or 60.00."),
        ({"starts_on": "2001-01-01"}, "would already have ended"),
        ({"starts_on": "2099-01-01"}, "Start it within a year from today."),
        ({"plan": "999999"}, "Select a valid choice."),
    ],
)
def test_recording_refuses_clearly_and_changes_nothing(client, admin, plan, fields, message):
    UserFactory(email="payer@lakes.test")
    client.force_login(admin)
    response = _record(client, plan, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AssociationMembership.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_RECORDED).exists()


def test_recording_a_plan_no_longer_offered_or_of_another_association_is_refused(
    client, admin, stranger, plan, prairie_plan
):
    UserFactory(email="payer@lakes.test")
    client.force_login(stranger)
    assert _record(client, plan).status_code == 200  # the plan is not among theirs
    plan.active = False
    plan.save()
    client.force_login(admin)
    assert "Select a valid choice." in _record(client, plan).content.decode()
    assert not AssociationMembership.objects.exists()


# Cancelling.


def test_an_admin_cancels_a_membership_with_a_reason(client, lakes, admin, plan):
    membership = joined(plan, email="leaving@lakes.test")
    client.force_login(admin)
    url = reverse("memberships_admin:cancel", args=[membership.pk])

    page = client.get(url).content.decode()
    assert "leaving@lakes.test" in page and "Cancel the membership" in page
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE

    assert client.post(url, {"reason": "Duplicate account"}).status_code == 302
    membership.refresh_from_db()
    assert (
        membership.status == MembershipStatus.CANCELLED and membership.note == "Duplicate account"
    )
    event = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_CANCELLED)
    assert event.actor == admin and event.details["reason"] == "Duplicate account"
    # Sent again (a double click): refused politely, nothing more happens.
    client.post(url, {"reason": "Duplicate account"})
    assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_CANCELLED).count() == 1


def test_another_associations_admin_cannot_open_or_cancel_a_membership(client, stranger, plan):
    membership = joined(plan)
    client.force_login(stranger)
    url = reverse("memberships_admin:cancel", args=[membership.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Hostile"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert not AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_CANCELLED).exists()


# The admin menu.


def test_the_menu_offers_members_plans_and_fees_due_to_admins_only(client, lakes, admin):
    client.force_login(admin)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("memberships_admin:members") in menu
    assert reverse(f"{PLANS}:list") in menu
    assert reverse("applications_admin:fees") in menu

    client.force_login(member(lakes, Role.EDITOR))
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("memberships_admin:members") not in menu
    assert reverse("applications_admin:fees") not in menu

"""The roster: adding staff one by one, invitations, joining, leaving and removal. People
who already have accounts keep them; their records are theirs, not the center's."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from centers.services import (
    RosterError,
    add_staff,
    invitation_token,
    join_center,
    resend_invitation,
    staff_for_invitation,
)
from lms.accounts.models import ConsentScope, User
from lms.accounts.selectors import has_consent
from lms.organizations.models import Membership, Role, StaffMember, StaffStatus
from tests.centers.builders import center_with_manager
from tests.factories import UserFactory


@pytest.fixture
def center(db):
    return center_with_manager()


def invitation_link(message) -> str:
    return re.search(r"http://testserver(/centers/join/[^/\s]+/)", message.body).group(1)


def test_manager_adds_a_new_person_who_is_invited_by_email(
    client, center, django_capture_on_commit_callbacks
):
    center, manager = center
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/centers/sunrise/roster/",
            {
                "email": "Ana.Ruiz@Sunrise.test",
                "name": "Ana Maria Ruiz",
                "job_role": "Home visitor",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="ana.ruiz@sunrise.test")
    assert (user.first_name, user.last_name) == ("Ana Maria", "Ruiz")
    assert not user.has_usable_password()
    assert user.profile.job_role == "Home visitor"
    staff = StaffMember.objects.get(user=user, center=center)
    assert staff.status == StaffStatus.INVITED and staff.added_by == manager
    assert not Membership.objects.filter(user=user, organization=center).exists()
    [message] = mail.outbox
    assert message.to == ["Ana.Ruiz@sunrise.test"]
    assert "choose a password" in message.body
    assert staff_for_invitation(invitation_link(message).split("/")[3]) == staff


def test_an_existing_account_is_kept_as_it_is(client, center, django_capture_on_commit_callbacks):
    center, manager = center
    own = UserFactory(email="sam@example.test", first_name="Sam", last_name="Delgado")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/centers/sunrise/roster/", {"email": "SAM@example.test", "name": "Samuel D"})
    own.refresh_from_db()
    assert (own.first_name, own.last_name) == ("Sam", "Delgado")
    assert own.check_password("correct-horse-battery")
    assert User.objects.filter(email__iexact="sam@example.test").count() == 1
    [message] = mail.outbox
    assert "sign in to your Attune account" in message.body


def test_someone_on_the_roster_is_refused_a_second_time(client, center):
    center, manager = center
    add_staff(center=center, email="ana@sunrise.test")
    client.force_login(manager)
    response = client.post("/centers/sunrise/roster/", {"email": "ANA@sunrise.test"})
    assert response.status_code == 200
    assert "already on the roster" in response.content.decode()
    assert StaffMember.objects.count() == 1
    with pytest.raises(RosterError):
        add_staff(center=center, email="not an address")


def test_a_new_person_sets_a_password_and_joins(client, center, django_capture_on_commit_callbacks):
    center, _ = center
    with django_capture_on_commit_callbacks(execute=True):
        staff = add_staff(center=center, email="ana@sunrise.test", name="Ana Ruiz").staff
    link = invitation_link(mail.outbox[0])
    page = client.get(link).content.decode()
    assert "Choose a password" in page and "progress in the trainings" in page
    response = client.post(
        link,
        {"new_password1": "a-long-pass-phrase-9", "new_password2": "a-long-pass-phrase-9"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.status == StaffStatus.ACTIVE and staff.joined_at
    assert Membership.objects.filter(user=staff.user, organization=center, role=Role.STAFF).exists()
    assert staff.user.check_password("a-long-pass-phrase-9")
    assert EmailAddress.objects.get(user=staff.user).verified
    # Joined without ticking the box: progress only, no portfolio.
    assert not has_consent(
        user=staff.user, organization=center, scope=ConsentScope.CENTER_PORTFOLIO
    )
    # The link is used up.
    assert client.get(link).status_code == 404


def test_an_existing_account_signs_in_as_itself_to_join(client, center):
    center, _ = center
    own = UserFactory(email="sam@example.test")
    staff = add_staff(center=center, email="sam@example.test").staff
    link = f"/centers/join/{invitation_token(staff)}/"
    response = client.get(link)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(UserFactory())
    assert client.post(link, {"share_portfolio": "on"}).status_code == 403
    staff.refresh_from_db()
    assert staff.status == StaffStatus.INVITED

    client.force_login(own)
    client.post(link, {"share_portfolio": "on"})
    staff.refresh_from_db()
    assert staff.status == StaffStatus.ACTIVE
    assert has_consent(user=own, organization=center, scope=ConsentScope.CENTER_PORTFOLIO)
    assert own.check_password("correct-horse-battery")


def test_forged_expired_and_replaced_links_are_refused(client, center, settings):
    center, _ = center
    staff = add_staff(center=center, email="ana@sunrise.test").staff
    old = invitation_token(staff)
    assert client.get("/centers/join/not-a-token/").status_code == 404
    resend_invitation(staff=staff)
    assert staff_for_invitation(old) is None
    staff.refresh_from_db()
    assert staff_for_invitation(invitation_token(staff)) == staff
    settings.ATTUNE_CENTER_INVITATION_DAYS = -1
    assert staff_for_invitation(invitation_token(staff)) is None


def test_staff_leave_and_stop_sharing_themselves(client, center):
    center, _ = center
    staff = add_staff(center=center, email="ana@sunrise.test").staff
    join_center(staff=staff, user=staff.user, share_portfolio=True)
    client.force_login(staff.user)
    page = client.get("/centers/").content.decode()
    assert "Sunrise Family Services" in page and "Stop sharing" in page
    client.post("/centers/mine/sunrise/sharing/", {"share": "no"})
    assert not has_consent(
        user=staff.user, organization=center, scope=ConsentScope.CENTER_PORTFOLIO
    )
    client.post("/centers/mine/sunrise/sharing/", {"share": "yes"})
    assert has_consent(user=staff.user, organization=center, scope=ConsentScope.CENTER_PORTFOLIO)
    client.post("/centers/mine/sunrise/leave/")
    staff.refresh_from_db()
    assert staff.status == StaffStatus.LEFT
    assert not has_consent(
        user=staff.user, organization=center, scope=ConsentScope.CENTER_PORTFOLIO
    )
    assert not Membership.objects.filter(user=staff.user, organization=center).exists()
    # Someone else cannot act on another person's roster row.
    assert client.post("/centers/mine/sunrise/sharing/", {"share": "yes"}).status_code == 404


def test_removed_staff_can_be_invited_again(client, center, django_capture_on_commit_callbacks):
    center, manager = center
    staff = add_staff(center=center, email="ana@sunrise.test").staff
    join_center(staff=staff, user=staff.user)
    client.force_login(manager)
    client.post(f"/centers/sunrise/roster/{staff.pk}/", {"action": "remove"})
    staff.refresh_from_db()
    assert staff.status == StaffStatus.REMOVED
    assert not Membership.objects.filter(user=staff.user, organization=center).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = add_staff(center=center, email="ana@sunrise.test").staff
    assert again.pk == staff.pk and again.status == StaffStatus.INVITED
    assert len(mail.outbox) == 1


def test_programs_and_roster_details(client, center):
    center, manager = center
    client.force_login(manager)
    client.post("/centers/sunrise/roster/programs/", {"name": "Early Head Start"})
    client.post("/centers/sunrise/roster/programs/", {"name": "early head start"})
    assert center.programs.count() == 1
    program = center.programs.get()
    staff = add_staff(center=center, email="ana@sunrise.test").staff
    client.post(
        f"/centers/sunrise/roster/{staff.pk}/",
        {"action": "save", "job_role": "Teacher", "program": program.pk},
    )
    staff.refresh_from_db()
    assert staff.program == program and staff.job_role == "Teacher"
    page = client.get("/centers/sunrise/roster/").content.decode()
    assert "ana@sunrise.test" in page and "Early Head Start" in page

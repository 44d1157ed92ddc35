"""The association's side of a contract in Wagtail's admin: its terms and use (seats used,
completions per training), for the association's administrators only."""

import pytest
from django.urls import reverse

from centers.services import assign_seats
from lms.organizations.models import Contract, ContractStatus, Role
from tests.centers.builders import center_with_manager, contract, finish, line, staff
from tests.courses.factories import member, training


def url(name, *args):
    return reverse(f"wagtailsnippets_organizations_contract:{name}", args=args)


@pytest.fixture
def used(great_lakes, course):
    """A Great Lakes contract with Sunrise: 3 of 5 seats in the catalog course (two finished)
    and a private cohort nobody holds a seat in yet."""
    center, manager = center_with_manager()
    private = training(great_lakes, "Sunrise cohort")
    made = contract(great_lakes, center, [course, private], private=(private,), seats=5)
    people = [staff(center, f"p{i}@sunrise.test", name=f"Person {i}") for i in range(3)]
    assign_seats(contract_training=line(made, course), staff=people, by=manager)
    for person in people[:2]:
        finish(person.user, course)
    return made


def test_the_association_sees_seats_used_and_completions(client, used, great_lakes):
    client.force_login(member(great_lakes, Role.ADMIN))
    listing = client.get(url("list")).content.decode()
    assert "Sunrise Family Services staff training" in listing
    response = client.get(url("inspect", used.pk))
    assert response.status_code == 200
    report = {line.title: line for line in response.context["report"]}
    assert (
        report["Reading a baby's cues"].seats_assigned,
        report["Reading a baby's cues"].completions,
    ) == (3, 2)
    assert (report["Sunrise cohort"].seats_assigned, report["Sunrise cohort"].completions) == (0, 0)
    assert report["Sunrise cohort"].private
    html = response.content.decode()
    assert "3 of 5" in html and "Private to the center" in html
    # Counts only: the association does not see who the center's staff are.
    assert "p0@sunrise.test" not in html and "Person 0" not in html


def test_another_association_neither_lists_nor_opens_the_contract(client, used, prairie):
    client.force_login(member(prairie, Role.ADMIN))
    assert "Sunrise Family Services staff training" not in client.get(url("list")).content.decode()
    assert client.get(url("inspect", used.pk)).status_code in (302, 403, 404)
    assert client.post(url("end", used.pk)).status_code in (302, 403, 404)
    used.refresh_from_db()
    assert used.status == ContractStatus.ACTIVE


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_only_administrators_manage_contracts(client, used, great_lakes, role):
    client.force_login(member(great_lakes, role))
    assert client.get(url("inspect", used.pk)).status_code in (302, 403, 404)


def test_the_center_manager_does_not_reach_the_admin_view(client, used):
    manager = used.center.memberships.get(role=Role.MANAGER).user
    client.force_login(manager)
    assert client.get(url("inspect", used.pk)).status_code in (302, 403, 404)


def test_activating_and_ending_move_the_contract_through_its_states(client, great_lakes, course):
    center, _ = center_with_manager()
    draft = contract(great_lakes, center, [course], status=ContractStatus.DRAFT)
    client.force_login(member(great_lakes, Role.ADMIN))
    client.post(url("activate", draft.pk))
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.ACTIVE
    html = client.post(url("activate", draft.pk), follow=True).content.decode()
    assert "Only a draft contract can be activated." in html
    client.post(url("end", draft.pk))
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.ENDED
    # An ended contract is a record of what was agreed: no more transitions or edits.
    assert client.post(url("activate", draft.pk)).status_code == 404
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.ENDED

import pytest

from lms.organizations.models import OrganizationKind, Role
from lms.organizations.permissions import RULES, Action
from lms.organizations.selectors import organizations_where, user_can
from lms.organizations.services import add_member, remove_member
from tests.factories import CenterFactory, OrganizationFactory, UserFactory


@pytest.fixture
def orgs(db):
    return {
        "assoc_a": OrganizationFactory(),
        "assoc_b": OrganizationFactory(),
        "center_a": CenterFactory(),
        "institute": OrganizationFactory(kind=OrganizationKind.FACULTY_INSTITUTE),
    }


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_do_exactly_what_the_table_says(orgs, role, action):
    user = UserFactory()
    add_member(organization=orgs["assoc_a"], user=user, role=role)
    add_member(organization=orgs["center_a"], user=user, role=role)
    roles, kinds = RULES[action]
    for key in ("assoc_a", "center_a"):
        org = orgs[key]
        expected = role in roles and org.kind in kinds
        assert user_can(user=user, action=action, organization=org) is expected, (key, role)
    # Never anything in an organization the user does not belong to.
    assert not user_can(user=user, action=action, organization=orgs["assoc_b"])


def test_editor_of_a_cannot_edit_b(orgs):
    editor = UserFactory()
    add_member(organization=orgs["assoc_a"], user=editor, role=Role.EDITOR)
    assert user_can(user=editor, action=Action.EDIT_TRAINING, organization=orgs["assoc_a"])
    assert not user_can(user=editor, action=Action.EDIT_TRAINING, organization=orgs["assoc_b"])
    assert not user_can(user=editor, action=Action.REVIEW_TRAINING, organization=orgs["assoc_a"])
    assert list(organizations_where(user=editor, action=Action.EDIT_TRAINING)) == [orgs["assoc_a"]]


def test_anonymous_and_inactive_users_may_do_nothing(orgs):
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(is_active=False)
    add_member(organization=orgs["assoc_a"], user=inactive, role=Role.ADMIN)
    for user in (AnonymousUser(), inactive):
        assert not user_can(user=user, action=Action.MANAGE_MEMBERS, organization=orgs["assoc_a"])
        assert not organizations_where(user=user, action=Action.MANAGE_MEMBERS).exists()


def test_superuser_may_act_everywhere_the_action_applies(orgs):
    root = UserFactory(is_superuser=True)
    assert user_can(user=root, action=Action.MANAGE_ROSTER, organization=orgs["center_a"])
    # Rosters belong to centers; not even a superuser manages an association's roster.
    assert not user_can(user=root, action=Action.MANAGE_ROSTER, organization=orgs["assoc_a"])
    assert set(organizations_where(user=root, action=Action.REVIEW_APPLICATIONS)) == {
        orgs["assoc_a"],
        orgs["assoc_b"],
    }


def test_role_changes_take_effect_at_once(orgs, django_assert_num_queries):
    user = UserFactory()
    add_member(organization=orgs["center_a"], user=user, role=Role.MANAGER)
    with django_assert_num_queries(1):
        for _ in range(5):
            assert user_can(
                user=user, action=Action.VIEW_STAFF_PROGRESS, organization=orgs["center_a"]
            )
    remove_member(organization=orgs["center_a"], user=user, role=Role.MANAGER)
    assert not user_can(user=user, action=Action.VIEW_STAFF_PROGRESS, organization=orgs["center_a"])

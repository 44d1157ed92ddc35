import pytest
from django.db import IntegrityError, transaction
from wagtail.models import Site

from lms.organizations.models import OrganizationKind, Role
from lms.organizations.services import add_member
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def test_one_membership_per_user_organization_and_role(db):
    membership = MembershipFactory(role=Role.EDITOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=membership.user, organization=membership.organization, role="editor")
    # A second role in the same organization is fine.
    MembershipFactory(user=membership.user, organization=membership.organization, role="reviewer")


def test_add_member_is_idempotent(db):
    org, user = OrganizationFactory(), UserFactory()
    first = add_member(organization=org, user=user, role=Role.REVIEWER)
    second = add_member(organization=org, user=user, role=Role.REVIEWER)
    assert first.pk == second.pk


def test_only_associations_have_their_own_site(db):
    site = Site.objects.get(is_default_site=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(kind=OrganizationKind.CENTER, site=site)
    assert OrganizationFactory(kind=OrganizationKind.ASSOCIATION, site=site).site == site

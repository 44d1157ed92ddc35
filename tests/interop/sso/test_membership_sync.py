"""What the membership system says at a sign-in, as Attune's membership
(``commerce.memberships.services.sync_membership_from_identity_provider``)."""

import datetime

import pytest

from commerce.memberships.models import (
    AssociationMembership,
    MembershipPlan,
    MembershipSource,
    MembershipStatus,
)
from commerce.memberships.services import add_term, sync_membership_from_identity_provider
from lms.audit.models import AuditEvent
from tests.factories import UserFactory

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def plan(great_lakes):
    return MembershipPlan.objects.create(association=great_lakes, name="Member", annual_dues=1)


def sync(person, plan, **kwargs):
    return sync_membership_from_identity_provider(person=person, plan=plan, today=TODAY, **kwargs)


@pytest.mark.django_db
def test_saying_member_twice_changes_nothing_and_a_new_expiry_moves_it(plan):
    person = UserFactory()
    first = sync(person, plan, is_member=True, ends_on=datetime.date(2026, 12, 31))
    again = sync(person, plan, is_member=True, ends_on=datetime.date(2026, 12, 31))
    assert first.pk == again.pk and first.terms.count() == 1
    assert AuditEvent.objects.filter(action="membership_started").count() == 1
    moved = sync(person, plan, is_member=True, ends_on=datetime.date(2027, 12, 31))
    assert moved.ends_on == datetime.date(2027, 12, 31)
    assert AuditEvent.objects.filter(action="membership_renewed").count() == 1
    # No expiry given: the plan's length from today.
    other = sync(UserFactory(), plan, is_member=True)
    assert other.ends_on == datetime.date(2027, 2, 28)


@pytest.mark.django_db
def test_not_a_member_lapses_only_what_the_system_gave(plan):
    given = UserFactory()
    sync(given, plan, is_member=True)
    assert sync(given, plan, is_member=False) is None
    lapsed = AssociationMembership.objects.get(person=given)
    assert lapsed.status == MembershipStatus.LAPSED and lapsed.ends_on <= TODAY
    paid = UserFactory()
    add_term(person=paid, plan=plan, source=MembershipSource.PURCHASE, amount=1, today=TODAY)
    kept = sync(paid, plan, is_member=False)
    assert kept is not None and kept.status == MembershipStatus.ACTIVE
    assert kept.source == MembershipSource.PURCHASE

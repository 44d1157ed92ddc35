"""Consent to share records with an association: granted, revoked and shown on the learner's
sharing page, one active consent at a time, effective at once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import ConsentScope, SharingConsent
from lms.accounts.selectors import consenting_user_ids, has_consent
from lms.accounts.services import grant_consent, revoke_consent
from tests.factories import CenterFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
SCOPE = ConsentScope.ASSOCIATION_RECORDS


def test_grant_is_idempotent_and_revoke_takes_effect_at_once():
    user, lakes, prairie = UserFactory(), OrganizationFactory(), OrganizationFactory()
    first = grant_consent(user=user, organization=lakes, scope=SCOPE)
    assert grant_consent(user=user, organization=lakes, scope=SCOPE) == first
    assert has_consent(user=user, organization=lakes)
    assert not has_consent(user=user, organization=prairie)
    assert list(consenting_user_ids(organization=lakes).values_list("user_id", flat=True)) == [
        user.pk
    ]

    assert revoke_consent(user=user, organization=lakes, scope=SCOPE) is True
    assert not has_consent(user=user, organization=lakes)
    assert revoke_consent(user=user, organization=lakes, scope=SCOPE) is False
    again = grant_consent(user=user, organization=lakes, scope=SCOPE)
    assert again.pk != first.pk
    assert SharingConsent.objects.filter(user=user).count() == 2


def test_one_active_consent_is_a_database_rule():
    user, lakes = UserFactory(), OrganizationFactory()
    grant_consent(user=user, organization=lakes, scope=SCOPE)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharingConsent.objects.create(
            user=user, organization=lakes, scope=SCOPE, granted_at=timezone.now()
        )


def test_records_are_shared_with_associations_only():
    with pytest.raises(ValidationError):
        grant_consent(user=UserFactory(), organization=CenterFactory(), scope=SCOPE)
    with pytest.raises(ValidationError):
        grant_consent(user=UserFactory(), organization=OrganizationFactory(), scope="everything")
    assert not SharingConsent.objects.exists()


def test_learner_shares_and_stops_sharing_from_the_settings_page(client):
    user = UserFactory()
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    client.force_login(user)
    page = client.get(reverse("accounts:sharing"))
    assert "Great Lakes Association" in page.content.decode()
    assert "Not shared" in page.content.decode()

    client.post(reverse("accounts:sharing"), {"organization": "lakes", "share": "yes"})
    assert has_consent(user=user, organization=lakes)
    assert "Shared since" in client.get(reverse("accounts:sharing")).content.decode()

    client.post(reverse("accounts:sharing"), {"organization": "lakes", "share": "no"})
    assert not has_consent(user=user, organization=lakes)
    bad = client.post(reverse("accounts:sharing"), {"organization": "nowhere", "share": "yes"})
    assert bad.status_code == 302
    assert SharingConsent.objects.active().count() == 0


def test_sharing_page_needs_sign_in(client):
    response = client.get(reverse("accounts:sharing"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

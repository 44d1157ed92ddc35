"""The learner grants and withdraws sharing their learning activity on their sharing page:
audited through the consent services, and withdrawing drops what waited to be sent."""

import pytest
from django.urls import reverse

from lms.accounts.models import ConsentScope, SharingConsent
from lms.accounts.selectors import has_consent
from lms.audit.models import AuditEvent
from lms.integrations.xapi.models import StatementStatus, XapiStatement

from .world import Learner, store_for

SCOPE = ConsentScope.LEARNING_ACTIVITY


@pytest.fixture(autouse=True)
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True


def test_a_learner_shares_and_stops_sharing_learning_activity(client, great_lakes, ralph):
    store_for(great_lakes, ralph)
    learner = Learner(great_lakes, share=False)
    client.force_login(learner.user)
    url = reverse("accounts:sharing")
    page = client.get(url).content.decode()
    assert "Your learning activity" in page and "Share activity" in page

    shared = client.post(
        url, {"organization": great_lakes.slug, "share": "yes", "scope": SCOPE}, follow=True
    )
    assert "You now share your learning activity" in shared.content.decode()
    assert has_consent(user=learner.user, organization=great_lakes, scope=SCOPE)
    # Records stay unshared: the two consents are apart.
    assert not has_consent(user=learner.user, organization=great_lakes)
    learner.beat(event="play", position=0)
    waiting = XapiStatement.objects.get()
    assert waiting.status == StatementStatus.PENDING

    stopped = client.post(
        url, {"organization": great_lakes.slug, "share": "no", "scope": SCOPE}, follow=True
    )
    assert "nothing more is sent" in stopped.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == StatementStatus.CANCELLED
    actions = list(
        AuditEvent.objects.filter(details__scope=SCOPE)
        .order_by("created", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["consent_granted", "consent_revoked"]
    assert "My learning activity, for the association" in client.get(url).content.decode()

    # A forged scope or organization changes nothing.
    client.post(url, {"organization": great_lakes.slug, "share": "yes", "scope": "everything"})
    client.post(url, {"organization": "nowhere", "share": "yes", "scope": SCOPE})
    assert not SharingConsent.objects.active().filter(user=learner.user).exists()

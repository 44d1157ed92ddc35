"""Webhook deliveries through a real Celery worker to a receiver on loopback that checks
each signature with the README's code."""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent
from lms.integrations import webhooks
from lms.integrations.models import DeliveryStatus, WebhookDelivery
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import admin_of
from tests.lms.integrations.receiver import Receiver
from tests.lms.records.factories import issue

pytestmark = [pytest.mark.worker]


@pytest.fixture
def worker_settings(monkeypatch):
    """Read by the worker process when it starts: loopback receivers, short backoff."""
    monkeypatch.setenv("ATTUNE_WEBHOOK_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("ATTUNE_WEBHOOK_RETRY_BASE_SECONDS", "0.5")


@pytest.fixture
def webhook_worker(worker_settings, celery_worker, settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True
    return celery_worker


def settled(delivery_id, timeout=60) -> WebhookDelivery:
    """The delivery once the worker has finished with it (succeeded or given up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PENDING:
            return delivery
        time.sleep(0.1)
    raise AssertionError(f"delivery {delivery_id} still pending")


def test_the_worker_delivers_once_and_retries_with_the_same_event_id(webhook_worker):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    lakes, prairie = OrganizationFactory(), OrganizationFactory()
    learner = UserFactory()
    scope = ConsentScope.ASSOCIATION_RECORDS
    grant_consent(user=learner, organization=lakes, scope=scope)
    grant_consent(user=learner, organization=prairie, scope=scope)
    with Receiver() as steady, Receiver(statuses=[500, 503, 200]) as flaky:
        for association, receiver in ((lakes, steady), (prairie, flaky)):
            _, receiver.secret = webhooks.register_endpoint(
                association=association, url=receiver.url, by=admin_of(association)
            )
        record = issue(learner, title="Reflective practice basics")

        (once,) = steady.wait_for(1)
        retried = flaky.wait_for(3)
        steady_delivery = settled(WebhookDelivery.objects.get(endpoint__association=lakes).pk)
        flaky_delivery = settled(WebhookDelivery.objects.get(endpoint__association=prairie).pk)

        # Delivered once: one request, one attempt, genuine.
        assert len(steady.requests) == 1 and once["genuine"]
        assert json.loads(once["body"])["data"]["record"]["id"] == str(record.verification_id)
        assert steady_delivery.status == DeliveryStatus.SUCCEEDED
        assert list(steady_delivery.attempt_log.values_list("status_code", flat=True)) == [200]

        # Failing twice then succeeding: three signed requests with the same event id.
        assert [r["status"] for r in retried] == [500, 503, 200]
        assert all(r["genuine"] for r in retried)
        event_ids = {r["headers"]["Attune-Event-Id"] for r in retried}
        assert event_ids == {str(flaky_delivery.event.event_id)}
        assert flaky_delivery.status == DeliveryStatus.SUCCEEDED
        assert flaky_delivery.attempts == 3
        assert list(flaky_delivery.attempt_log.values_list("status_code", flat=True)) == [
            500,
            503,
            200,
        ]
        assert len(steady.requests) == 1 and len(flaky.requests) == 3

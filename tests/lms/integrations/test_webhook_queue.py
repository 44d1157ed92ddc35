"""The webhook queue and endpoint health, in process: a delivery is leased once while its
message is out, per-endpoint and platform caps, a lost message queued again once its lease
runs out; an endpoint failing for the disable window is disabled and its admins e-mailed; the
admin's "Re-enable" sends what waited (and what gave up meanwhile) once each."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditAction, AuditEvent
from lms.integrations import endpoint_health, webhook_queue, webhooks
from lms.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.conftest import purge_queues
from tests.factories import OrganizationFactory
from tests.lms.endorsement.applying import admin_of, sent_at_once
from tests.lms.integrations.receiver import Receiver
from tests.lms.integrations.test_webhooks import endpoint_for, sharing_learner
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True


def dead_endpoint(association):
    port = Receiver.free_port()
    endpoint, secret = webhooks.register_endpoint(
        association=association,
        url=f"http://127.0.0.1:{port}/hooks",
        by=admin_of(association),
    )
    return endpoint, secret, port


def events(association, count):
    learner = sharing_learner(association)
    for _ in range(count):
        issue(learner)


def leased(endpoint=None):
    rows = WebhookDelivery.objects.filter(queued_until__gt=timezone.now())
    return rows.filter(endpoint=endpoint) if endpoint else rows


def test_two_passes_never_queue_a_delivery_twice_while_its_lease_holds(framework, loopback):
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    events(lakes, 3)
    first = webhook_queue.lease_due()
    assert sorted(first) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
    assert webhook_queue.lease_due() == []
    assert webhook_queue.lease_due() == []
    # The message was lost with its worker: once the lease has run out it is queued again.
    WebhookDelivery.objects.filter(pk=first[0]).update(
        queued_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert webhook_queue.lease_due() == [first[0]]


def test_each_endpoint_has_a_few_deliveries_in_flight_and_the_platform_a_cap(
    framework, loopback, settings
):
    settings.ATTUNE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = 2
    settings.ATTUNE_WEBHOOK_MAX_QUEUED = 5
    lakes, prairie, coast = (OrganizationFactory() for _ in range(3))
    endpoints = [dead_endpoint(a)[0] for a in (lakes, prairie, coast)]
    for association in (lakes, prairie, coast):
        events(association, 4)
    queued = webhook_queue.lease_due()
    assert len(queued) == 5
    assert [leased(e).count() for e in endpoints] == [2, 2, 1]
    assert webhook_queue.lease_due() == []  # the platform's cap is reached
    # An attempt finished: its place goes to a waiting delivery of the same endpoint.
    WebhookDelivery.objects.filter(pk=queued[0]).update(queued_until=None)
    (refill,) = webhook_queue.lease_due()
    assert WebhookDelivery.objects.get(pk=refill).endpoint == endpoints[0]
    assert [leased(e).count() for e in endpoints] == [2, 2, 1]


def test_messages_already_on_the_broker_count_against_the_cap(framework, loopback, settings):
    settings.ATTUNE_WEBHOOK_MAX_QUEUED = 5
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    events(lakes, 4)
    assert webhook_queue.lease_due(waiting_on_broker=5) == []
    assert len(webhook_queue.lease_due(waiting_on_broker=3)) == 2


def test_an_attempt_holds_its_place_and_a_long_retry_gives_it_back(framework, loopback, settings):
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 10
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    events(lakes, 1)
    (delivery_id,) = webhook_queue.lease_due()
    attempted = webhooks.deliver(delivery_id)  # connection refused
    assert attempted.retry_in == datetime.timedelta(seconds=10)
    delivery = WebhookDelivery.objects.get()
    assert delivery.queued_until > delivery.next_attempt_at  # waits as a countdown message
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 3600
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    attempted = webhooks.deliver(delivery_id)
    assert attempted.retry_in is None  # a pass sends it when it is due
    assert WebhookDelivery.objects.get().queued_until is None


def fail_for(endpoint, days):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_endpoint_failing_for_three_days_is_disabled_and_its_admins_told(
    framework, loopback, settings
):
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 3600
    lakes = OrganizationFactory(name="Great Lakes Association")
    first_admin, second_admin = admin_of(lakes), admin_of(lakes)
    other_admin = admin_of(OrganizationFactory())
    endpoint, _, _ = dead_endpoint(lakes)
    events(lakes, 2)
    first, second = WebhookDelivery.objects.order_by("pk")
    webhooks.deliver(first.pk)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None and endpoint.disabled_at is None
    fail_for(endpoint, 2.9)
    webhooks.deliver(second.pk)
    assert WebhookEndpoint.objects.get().disabled_at is None and not mail.outbox
    fail_for(endpoint, 3)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    with sent_at_once():
        webhooks.deliver(first.pk)
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert "Connection refused" in endpoint.disabled_reason
    (disabled,) = AuditEvent.objects.filter(action=AuditAction.WEBHOOK_ENDPOINT_DISABLED)
    assert disabled.organization == lakes and disabled.target_repr == endpoint.url
    (message,) = mail.outbox
    # Every admin of the association (the one who registered it among them), nobody else.
    assert {first_admin.email, second_admin.email} < set(message.to) and len(message.to) == 3
    assert other_admin.email not in message.to
    assert endpoint.url in message.subject and "2 deliveries are kept" in message.body
    # Nothing more is attempted or queued; new events are kept for the re-enable.
    assert webhook_queue.lease_due() == []
    assert webhooks.deliver(second.pk).status == DeliveryStatus.PENDING
    assert WebhookDelivery.objects.get(pk=second.pk).attempts == 1
    events(lakes, 1)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    assert webhook_queue.lease_due() == []
    # Failing again once disabled sends no second e-mail.
    assert not endpoint_health.note_failure(endpoint_id=endpoint.pk, error="x")
    assert len(mail.outbox) == 1


def test_a_success_ends_the_failing_spell(framework, loopback):
    lakes = OrganizationFactory()
    with Receiver(statuses=[500, 200]) as receiver:
        endpoint = endpoint_for(lakes, receiver)
        events(lakes, 2)
        first, second = WebhookDelivery.objects.order_by("pk")
        webhooks.deliver(first.pk)
        assert WebhookEndpoint.objects.get().failing_since is not None
        webhooks.deliver(second.pk)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.disabled_at is None


def test_re_enable_sends_what_waited_and_what_gave_up_once_each(
    client, framework, loopback, settings
):
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 3600
    lakes, prairie = OrganizationFactory(name="Lakes"), OrganizationFactory(name="Prairie")
    endpoint, secret, port = dead_endpoint(lakes)
    events(lakes, 3)
    first, second, third = WebhookDelivery.objects.order_by("pk")
    fail_for(endpoint, 3)
    webhooks.deliver(first.pk)
    WebhookDelivery.objects.filter(pk=third.pk).update(status=DeliveryStatus.FAILED)
    url = reverse("integrations_admin:integrations")
    reenable = reverse("integrations_admin:reenable_endpoint")

    # Another association's admin sees none of it and cannot re-enable it.
    client.force_login(admin_of(prairie))
    assert endpoint.url not in client.get(url).content.decode()
    assert client.post(reenable, {"endpoint": endpoint.pk}).status_code == 404
    assert WebhookEndpoint.objects.get().disabled_at is not None
    client.force_login(admin_of(lakes))
    assert client.get(reenable).status_code == 405
    page = client.get(url).content.decode()
    assert "Disabled" in page and "Re-enable" in page and "Connection refused" in page
    assert "3 deliveries wait" in page  # two pending, one that gave up during the outage
    log = client.get(reverse("integrations_admin:deliveries")).content.decode()
    assert "Held: the endpoint is disabled" in log

    with Receiver(port=port) as receiver:
        receiver.secret = secret
        response = client.post(reenable, {"endpoint": endpoint.pk}, follow=True)
        assert "3 deliveries are being sent" in response.content.decode()
        endpoint.refresh_from_db()
        assert endpoint.disabled_at is None and endpoint.failing_since is None
        (reenabled,) = AuditEvent.objects.filter(action=AuditAction.WEBHOOK_ENDPOINT_REENABLED)
        assert reenabled.actor is not None and reenabled.details == {"replayed": 3}
        for delivery_id in webhook_queue.lease_due():
            webhooks.deliver(delivery_id)
            webhooks.deliver(delivery_id)  # a second message changes nothing
        requests = receiver.wait_for(3)
    assert sorted(r["headers"]["Attune-Event-Id"] for r in requests) == sorted(
        str(d.event.event_id) for d in (first, second, third)
    )
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert len(receiver.requests) == 3
    # Re-enabling what is not disabled says so and changes nothing.
    response = client.post(reenable, {"endpoint": endpoint.pk}, follow=True)
    assert "not disabled" in response.content.decode()
    assert client.post(reenable, {"endpoint": "nonsense"}).status_code == 404


def test_send_again_is_refused_while_the_endpoint_is_disabled(framework, loopback):
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    events(lakes, 1)
    WebhookEndpoint.objects.update(disabled_at=timezone.now())
    with pytest.raises(ValidationError, match="re-enable it first"):
        webhooks.redeliver(delivery=WebhookDelivery.objects.get(), by=admin_of(lakes))


@pytest.mark.django_db(transaction=True)
def test_passes_running_at_once_never_exceed_the_caps(framework, loopback, settings):
    """The sweep, a worker start and a finished attempt may queue at the same moment."""
    settings.ATTUNE_WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = 3
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    events(lakes, 12)
    # Recording the events committed and queued the first three: forget those messages.
    purge_queues()
    WebhookDelivery.objects.update(queued_until=None)
    start = threading.Barrier(4)

    def passes():
        start.wait()
        try:
            return [pk for _ in range(5) for pk in webhook_queue.lease_due()]
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        queued = [pk for done in [pool.submit(passes) for _ in range(4)] for pk in done.result()]
    assert len(queued) == len(set(queued)) == 3
    assert leased().count() == 3
    purge_queues()

"""The webhook queue against a real broker and a real worker: 200 events for a receiver that
is down pile up in the database, never on the broker; the endpoint is switched off after
failing for the disable window; re-enabled, each event arrives exactly once."""

import contextlib
import datetime
import time

import pytest
from django.db.models import F
from django.urls import reverse

from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent
from lms.integrations import tasks, webhook_queue, webhooks
from lms.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.conftest import WorkerProcess, purge_queues
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import admin_of
from tests.lms.integrations.broker import Sampler, waiting
from tests.lms.integrations.receiver import Receiver
from tests.lms.records.factories import issue

pytestmark = [pytest.mark.worker]

EVENTS = 200


def dead_endpoint(association):
    """An endpoint whose receiver is down: nothing listens on its port yet."""
    port = Receiver.free_port()
    endpoint, secret = webhooks.register_endpoint(
        association=association,
        url=f"http://127.0.0.1:{port}/attune-hooks",
        by=admin_of(association),
    )
    return endpoint, secret, port


@pytest.fixture
def loopback(settings, monkeypatch):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True
    monkeypatch.setenv("ATTUNE_WEBHOOK_ALLOW_LOOPBACK", "1")


def test_sweeps_with_nobody_consuming_never_pile_up_on_the_broker(
    transactional_db, framework, loopback
):
    """The operator's report: the worker busy elsewhere, the receiver down, the sweep runs
    every minute. The broker must never hold more than the cap."""
    purge_queues()
    lakes = OrganizationFactory()
    dead_endpoint(lakes)
    learner = UserFactory()
    grant_consent(user=learner, organization=lakes, scope=ConsentScope.ASSOCIATION_RECORDS)
    lengths = []
    with Sampler() as sampler:
        for _ in range(EVENTS):
            issue(learner)
        lengths.append(waiting())
        for _ in range(3):  # three sweeps, as beat would run them
            tasks.queue_due_deliveries()
            lengths.append(waiting())
    print(f"broker queue after the events and each sweep: {lengths}, peak {sampler.peak}")
    cap = webhooks_cap()
    assert sampler.peak <= cap and max(lengths) <= cap, lengths
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == EVENTS


def webhooks_cap():
    return webhook_queue.per_endpoint_limit()


@pytest.fixture
def worker_env(monkeypatch):
    """Read by the worker process when it starts: a short backoff."""
    monkeypatch.setenv("ATTUNE_WEBHOOK_RETRY_BASE_SECONDS", "0.5")


@contextlib.contextmanager
def stopping(worker):
    try:
        yield worker
    finally:
        worker.stop()


def wait_until(condition, timeout=120, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_dead_receiver_is_disabled_then_re_enabled_and_gets_each_event_once(
    loopback, worker_env, transactional_db, framework, client
):
    lakes = OrganizationFactory(name="Lakes")
    endpoint, secret, port = dead_endpoint(lakes)
    admin = admin_of(lakes)
    learner = UserFactory()
    grant_consent(user=learner, organization=lakes, scope=ConsentScope.ASSOCIATION_RECORDS)
    cap = webhook_queue.per_endpoint_limit()
    purge_queues()
    worker = WorkerProcess()
    with Sampler() as sampler, stopping(worker):
        # 200 events while the worker is busy elsewhere (not taking from the queue) and the
        # receiver refuses connections; the sweep runs now and then, as beat runs it. (Events
        # come before the worker starts: kombu's filesystem broker can hand a worker a message
        # file its producer has not finished writing.)
        for n in range(EVENTS):
            issue(learner)
            if n % 50 == 0:
                tasks.queue_due_deliveries()
        with sampler.paused():
            worker.start().wait_ready()
        # The endpoint's few places are held by deliveries retrying; the rest wait.
        wait_until(
            lambda: WebhookDelivery.objects.filter(attempts__gte=3).count() >= cap,
            what="retries at the dead receiver",
        )
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None and endpoint.disabled_at is None
        # Three days of failing, then the next failure switches it off.
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            failing_since=F("failing_since") - datetime.timedelta(days=3)
        )
        wait_until(
            lambda: WebhookEndpoint.objects.get(pk=endpoint.pk).disabled_at is not None,
            what="the endpoint to be disabled",
        )
        for _ in range(3):
            tasks.queue_due_deliveries()  # nothing is queued for a disabled endpoint
        endpoint.refresh_from_db()
        assert "Connection refused" in endpoint.disabled_reason or "Errno" in (
            endpoint.disabled_reason
        ), endpoint.disabled_reason
        assert WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == EVENTS
        attempted_while_down = WebhookDelivery.objects.filter(attempts__gt=0).count()

        # The receiver is back; an admin presses "Re-enable".
        with Receiver(port=port) as receiver:
            receiver.secret = secret
            client.force_login(admin)
            page = client.get(reverse("integrations_admin:integrations")).content.decode()
            assert "Re-enable" in page and "200 deliveries wait" in page
            response = client.post(
                reverse("integrations_admin:reenable_endpoint"), {"endpoint": endpoint.pk}
            )
            assert response.status_code == 302
            receiver.wait_for(EVENTS, timeout=180)
            wait_until(
                lambda: (
                    WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count()
                    == EVENTS
                ),
                what="every delivery to succeed",
            )
            # Messages still held for a countdown find their delivery done: nothing more.
            wait_until(lambda: waiting() == 0, what="an empty queue")
            time.sleep(2)
            requests = list(receiver.requests)
    print(
        f"peak queue length {sampler.peak} (cap {cap}) over {len(sampler.samples)} samples; "
        f"{attempted_while_down} deliveries attempted while the receiver was down"
    )
    assert sampler.peak <= cap
    event_ids = [r["headers"]["Attune-Event-Id"] for r in requests]
    assert len(event_ids) == EVENTS and len(set(event_ids)) == EVENTS
    assert all(r["genuine"] for r in requests)
    assert set(event_ids) == {
        str(e) for e in WebhookDelivery.objects.values_list("event__event_id", flat=True)
    }

"""Webhooks against a real receiver on loopback that checks signatures with the README's
code: delivered once, retried with the same event id, forged and replayed deliveries
refused, nothing sent once consent is revoked, unsafe URLs refused."""

import datetime
import json
import socket
import time
import urllib.request
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent, revoke_consent
from lms.endorsement.selectors.requirements import category_areas
from lms.endorsement.services.applications import submit_application
from lms.endorsement.services.review import decide_application, record_review
from lms.integrations import webhooks
from lms.integrations.models import (
    AssociationApiToken,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.issuing import issue_completion_record
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.endorsement.applying import (
    admin_of,
    rate,
    ready_application,
    reviewer_of,
    sent_at_once,
    small_rules,
)
from tests.lms.integrations.receiver import Receiver, readme_verifier
from tests.lms.records.factories import issue

SCOPE = ConsentScope.ASSOCIATION_RECORDS


@pytest.fixture
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True


def endpoint_for(association, receiver):
    endpoint, secret = webhooks.register_endpoint(
        association=association, url=receiver.url, by=admin_of(association)
    )
    receiver.secret = secret
    return endpoint


def sharing_learner(association):
    learner = UserFactory()
    grant_consent(user=learner, organization=association, scope=SCOPE)
    return learner


# ---------------------------------------------------------------------------------------------
# In-process deliveries (the task body, called directly)


@pytest.mark.django_db
def test_record_events_are_signed_and_verified_by_the_readme_code(framework, loopback):
    lakes = OrganizationFactory(slug="lakes")
    with Receiver() as receiver:
        endpoint_for(lakes, receiver)
        learner = sharing_learner(lakes)
        with sent_at_once():
            record = issue(learner, title="Attachment in the first year")
        delivery = WebhookDelivery.objects.get()
        assert webhooks.deliver(delivery.pk).status == DeliveryStatus.SUCCEEDED
        assert webhooks.deliver(delivery.pk).status == DeliveryStatus.SUCCEEDED  # safe twice
        (request,) = receiver.wait_for(1)
    assert request["genuine"] is True
    body = json.loads(request["body"])
    assert body["type"] == "record.issued"
    assert body["id"] == request["headers"]["Attune-Event-Id"]
    assert body["data"]["record"]["id"] == str(record.verification_id)
    assert body["data"]["record"]["title"] == "Attachment in the first year"
    assert body["data"]["record"]["learner"]["email"] == learner.email
    attempt = WebhookAttempt.objects.get()
    assert (attempt.number, attempt.status_code) == (1, 200)


@pytest.mark.django_db
def test_amended_and_revoked_records_are_announced(framework, loopback):
    lakes = OrganizationFactory()
    with Receiver() as receiver:
        endpoint_for(lakes, receiver)
        learner = sharing_learner(lakes)
        record = issue(learner)
        amend_record(record=record, by=UserFactory(), reason="Typo", title="Corrected title")
        revoke_record(record=record, by=UserFactory(), reason="Issued in error")
    events = list(WebhookEvent.objects.order_by("pk"))
    assert [e.type for e in events] == ["record.issued", "record.amended", "record.revoked"]
    assert events[1].payload["data"]["amendment"]["fields"] == ["title"]
    assert events[1].payload["data"]["record"]["title"] == "Corrected title"
    assert events[2].payload["data"]["record"]["status"] == "revoked"


@pytest.mark.django_db
def test_a_forged_or_replayed_delivery_is_rejected_by_the_readme_code(framework, loopback):
    verify = readme_verifier()
    lakes = OrganizationFactory()
    with Receiver() as receiver:
        endpoint_for(lakes, receiver)
        issue(sharing_learner(lakes))
        webhooks.deliver(WebhookDelivery.objects.get().pk)
        (genuine,) = receiver.wait_for(1)
        headers, body = genuine["headers"], genuine["body"]
        assert verify(receiver.secret, headers, body)

        def send(headers, body):
            request = urllib.request.Request(receiver.url, data=body, method="POST")  # noqa: S310
            for name in ("Attune-Event-Id", "Attune-Timestamp", "Attune-Signature"):
                request.add_header(name, headers[name])
            request.add_header("Content-Type", "application/json")
            try:
                return urllib.request.urlopen(request, timeout=10).status  # noqa: S310
            except urllib.error.HTTPError as exc:
                return exc.code

        tampered = body.replace(b'"record.issued"', b'"record.revoked"')
        assert send(headers, tampered) == 401
        wrong_key = {**headers, "Attune-Signature": "v1=" + "0" * 64}
        assert send(wrong_key, body) == 401
        # A captured delivery sent again later: the timestamp is too old.
        later = int(headers["Attune-Timestamp"]) + 3600
        assert not verify(receiver.secret, headers, body, now=later)
        old = dict(headers)
        old["Attune-Timestamp"] = str(int(time.time()) - 3600)
        old["Attune-Signature"] = webhooks.signature(
            receiver.secret, old["Attune-Event-Id"], int(old["Attune-Timestamp"]), body
        )
        assert send(old, body) == 401
        assert [r["genuine"] for r in receiver.requests] == [True, False, False, False]


@pytest.mark.django_db
def test_revoking_consent_stops_deliveries(framework, loopback, settings):
    settings.ATTUNE_WEBHOOK_RETRY_BASE_SECONDS = 3600
    lakes = OrganizationFactory()
    with Receiver(statuses=[500]) as receiver:
        endpoint_for(lakes, receiver)
        learner = sharing_learner(lakes)
        issue(learner)
        delivery = WebhookDelivery.objects.get()
        assert webhooks.deliver(delivery.pk).status == DeliveryStatus.PENDING
        receiver.wait_for(1)
        revoke_consent(user=learner, organization=lakes, scope=SCOPE)
        WebhookDelivery.objects.update(next_attempt_at=delivery.created_at)  # the retry is due
        assert webhooks.deliver(delivery.pk).status == DeliveryStatus.CANCELLED
        issue(learner, title="After revoking")
        assert len(receiver.requests) == 1
    assert WebhookEvent.objects.count() == 1
    delivery.refresh_from_db()
    assert "no longer shares" in delivery.last_error


@pytest.mark.django_db
def test_learners_who_do_not_share_and_other_associations_get_nothing(framework, loopback):
    lakes, prairie = OrganizationFactory(), OrganizationFactory()
    with Receiver() as lakes_receiver, Receiver() as prairie_receiver:
        endpoint_for(lakes, lakes_receiver)
        endpoint_for(prairie, prairie_receiver)
        issue(UserFactory())
        issue(sharing_learner(prairie))
    (event,) = WebhookEvent.objects.all()
    assert event.association == prairie
    assert [d.endpoint.association for d in WebhookDelivery.objects.all()] == [prairie]


@pytest.mark.django_db
def test_a_failing_signal_listener_never_loses_the_record(framework, monkeypatch):
    lakes = OrganizationFactory()

    def broken(**kwargs):
        raise RuntimeError("webhooks are down")

    monkeypatch.setattr(webhooks, "record_changed", broken)
    learner = sharing_learner(lakes)
    record = issue_completion_record(
        learner=learner,
        source_key="course:1",
        title="Still issued",
        completed_on=datetime.date(2024, 3, 1),
        duration_hours=Decimal(1),
        provider_name="Lakes",
        area_hours={"TF": Decimal(1)},
        delivery_format="self_paced",
    )
    assert record.pk is not None


# ---------------------------------------------------------------------------------------------
# URL safety


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.org/attune", "must use HTTPS"),
        ("https://10.1.2.3/hook", "private or reserved"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::ffff:192.168.0.1]/hook", "private or reserved"),
        ("https://user:pw@hooks.example.org/", "user name or password"),
        ("http://127.0.0.1:8000/hook", "must use HTTPS"),
        ("ftp://hooks.example.org/", "full https:// URL"),
    ],
)
def test_unsafe_webhook_urls_are_refused(url, reason):
    lakes = OrganizationFactory()
    with pytest.raises(ValidationError, match=reason):
        webhooks.register_endpoint(association=lakes, url=url, by=admin_of(lakes))


def test_names_are_resolved_when_sending_and_private_answers_refused(monkeypatch, settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = False

    def fake_dns(host, port, *args, **kwargs):
        address = {"hooks.example.org": "93.184.216.34", "rebind.example.org": "10.0.0.7"}[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    assert webhooks.resolve("https://hooks.example.org/x") == ("https", "93.184.216.34", 443)
    with pytest.raises(webhooks.UnsafeURL, match=r"private or reserved address \(10.0.0.7\)"):
        webhooks.resolve("https://rebind.example.org/x")
    with pytest.raises(webhooks.UnsafeURL, match="must use HTTPS"):
        webhooks.resolve("http://localhost:9/x")


# ---------------------------------------------------------------------------------------------
# The admin: endpoints, tokens shown once, the delivery log and its redeliver button


@pytest.mark.django_db
def test_admin_registers_endpoints_and_redelivers_from_the_log(client, framework, loopback):
    lakes, prairie = OrganizationFactory(name="Lakes"), OrganizationFactory(name="Prairie")
    admin = admin_of(lakes)
    client.force_login(admin)
    url = reverse("integrations_admin:integrations")
    refused = client.post(
        url,
        {
            "action": "add_endpoint",
            "endpoint-association": lakes.pk,
            "endpoint-url": "http://x.org/",
        },
    )
    assert "must use HTTPS" in refused.content.decode()
    with Receiver(statuses=[500]) as receiver:
        shown = client.post(
            url,
            {
                "action": "add_endpoint",
                "endpoint-association": lakes.pk,
                "endpoint-url": receiver.url,
            },
        )
        page = shown.content.decode()
        secret = page.split('id="new-secret" readonly value="', 1)[1].split('"', 1)[0]
        assert secret.startswith("whsec_") and "no-store" in shown["Cache-Control"]
        assert secret not in client.get(url).content.decode()
        receiver.secret = secret
        issue(sharing_learner(lakes))
        delivery = WebhookDelivery.objects.get()
        webhooks.deliver(delivery.pk)
        log = client.get(reverse("integrations_admin:deliveries")).content.decode()
        assert "HTTP 500" in log and "record.issued" in log
        with sent_at_once():
            client.post(reverse("integrations_admin:deliveries"), {"delivery": delivery.pk})
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert webhooks.deliver(delivery.pk).status == DeliveryStatus.SUCCEEDED
        first, second = receiver.wait_for(2)
    assert first["headers"]["Attune-Event-Id"] == second["headers"]["Attune-Event-Id"]
    # Another association's administrator sees none of it and cannot redeliver.
    client.force_login(admin_of(prairie))
    assert receiver.url not in client.get(url).content.decode()
    other = client.post(reverse("integrations_admin:deliveries"), {"delivery": delivery.pk})
    assert other.status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_admin_creates_a_token_shown_once_and_revokes_it(client, framework):
    lakes = OrganizationFactory(name="Lakes")
    client.force_login(admin_of(lakes))
    url = reverse("integrations_admin:integrations")
    page = client.post(
        url, {"action": "create_token", "token-association": lakes.pk, "token-name": "EASy"}
    ).content.decode()
    token = page.split('id="new-token" readonly value="', 1)[1].split('"', 1)[0]
    assert token.startswith("attune_")
    assert token not in client.get(url).content.decode()
    response = client.get("/api/v1/records", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    row = AssociationApiToken.objects.get()
    client.post(url, {"action": "revoke_token", "token": row.pk})
    response = client.get("/api/v1/records", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_decision_is_announced_to_the_association_of_a_sharing_learner(framework, loopback):
    lakes = OrganizationFactory(slug="lakes")
    small_rules(lakes)
    reviewer_of(lakes), reviewer_of(lakes)
    with Receiver() as receiver:
        endpoint_for(lakes, receiver)
        application, raters = ready_application(lakes)
        grant_consent(user=application.learner, organization=lakes, scope=SCOPE)
        for rater in raters:
            rate(application, rater)
        with sent_at_once():
            submit_application(application=application, learner=application.learner)
        for assignment in application.assignments.all():
            record_review(
                application=application,
                reviewer=assignment.reviewer,
                marks={a.code: ("met", "") for a in category_areas(category=application.category)},
                recommendation="approve",
            )
        decide_application(application=application, by=assignment.reviewer, outcome="approve")
    event = WebhookEvent.objects.get(type="application.decided")
    data = event.payload["data"]["application"]
    assert data["decision"] == "approve" and data["status"] == "approved"
    assert data["learner"]["email"] == application.learner.email
    endorsement = application.learner.endorsements.get()
    assert data["endorsement"]["renewal_due"] == endorsement.renewal_due.isoformat()
    assert data["endorsement"]["verification_url"].endswith(f"{endorsement.verification_id}/")

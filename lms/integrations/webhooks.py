"""Webhooks: an association's own system is told when a consenting learner's record is
issued, amended or revoked, and when an application to the association is decided.

Each delivery is an HTTP POST of a JSON body with three headers:

* ``Attune-Event-Id``: the event's id, the same on every retry (the receiver's idempotency
  key);
* ``Attune-Timestamp``: when this attempt was signed, in Unix seconds;
* ``Attune-Signature``: ``v1=`` + hex HMAC-SHA256, keyed with the endpoint's secret, of
  ``"{event id}.{timestamp}."`` followed by the body's bytes.

Receivers check the signature and refuse old timestamps (see the README). Attempts are rows:
a failed one is retried with exponential backoff for ``ATTUNE_WEBHOOK_RETRY_HOURS`` (26 by
default), by a Celery countdown when the wait is short, otherwise by a queueing pass once it is
due (``webhook_queue``: at most a few messages per endpoint on the broker, the rest wait in
the database). An endpoint failing for days is disabled (``endpoint_health``). Consent is
checked again when each attempt is sent.

Endpoint URLs must be HTTPS; plain HTTP only to a loopback address, and only when DEBUG or
``ATTUNE_WEBHOOK_ALLOW_LOOPBACK`` is on. Private, link-local and other non-public addresses
are refused when the endpoint is registered and again, after resolving the name, when each
attempt is sent, and the connection goes to the address that was checked.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import ConsentScope, SharingConsent
from lms.accounts.selectors import has_consent
from lms.endorsement.models import Application, ApplicationDecision
from lms.endorsement.selectors.sharing import shared_records
from lms.integrations.api import Record, record_out
from lms.integrations.tokens import check_manager, integration_keys
from lms.records.links import public_url

from . import endpoint_health, webhook_queue
from .models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)

logger = logging.getLogger(__name__)

EVENT_ID_HEADER = "Attune-Event-Id"
TIMESTAMP_HEADER = "Attune-Timestamp"
SIGNATURE_HEADER = "Attune-Signature"
TYPE_HEADER = "Attune-Event-Type"
KEY_SALT = "lms.endorsement.webhook-secret"
LEASE = datetime.timedelta(minutes=2)
MAX_DELAY = datetime.timedelta(hours=4)
TIMEOUT = urllib3.Timeout(connect=5, read=15)


class UnsafeURL(ValueError):
    """A webhook URL Attune will not call."""


# ---------------------------------------------------------------------------------------------
# Settings


def loopback_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "ATTUNE_WEBHOOK_ALLOW_LOOPBACK", False))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff after the ``attempts``-th failure, capped at four hours."""
    base = float(getattr(settings, "ATTUNE_WEBHOOK_RETRY_BASE_SECONDS", 30))
    return min(datetime.timedelta(seconds=base * 2 ** (attempts - 1)), MAX_DELAY)


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "ATTUNE_WEBHOOK_RETRY_HOURS", 26)))


# ---------------------------------------------------------------------------------------------
# URL safety


# Translators: completes "The URL points to %(problem)s." (a kind of network address).
_LOOPBACK = gettext_lazy("a loopback address")
_LINK_LOCAL = gettext_lazy("a link-local address")
_PRIVATE = gettext_lazy("a private or reserved address")
_NOT_PUBLIC = gettext_lazy("an address that is not public")


def _address_problem(address: str) -> str:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "" if loopback_allowed() else str(_LOOPBACK)
    if ip.is_link_local:
        return str(_LINK_LOCAL)
    if ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
        return str(_PRIVATE)
    if not ip.is_global:
        return str(_NOT_PUBLIC)
    return ""


def check_url(url: str) -> None:
    """Refuse a URL Attune will not call (raises ``UnsafeURL`` saying why)."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeURL(_("Give a full https:// URL."))
    if parts.username or parts.password:
        raise UnsafeURL(_("The URL must not carry a user name or password."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    is_loopback_name = host == "localhost" or (literal is not None and literal.is_loopback)
    if parts.scheme == "http" and not (is_loopback_name and loopback_allowed()):
        raise UnsafeURL(_("Webhook URLs must use HTTPS."))
    if literal is not None:
        problem = _address_problem(host)
        if problem:
            raise UnsafeURL(_("The URL points to %(problem)s.") % {"problem": problem})


def resolve(url: str) -> tuple[str, str, int]:
    """``(scheme, checked address, port)`` of ``url``, resolved now: every address the name
    has must be public (or loopback, when allowed)."""
    check_url(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeURL(f"{parts.hostname} does not resolve.") from exc
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        problem = _address_problem(address)
        if problem:
            raise UnsafeURL(f"{parts.hostname} resolves to {problem} ({address}).")
    return parts.scheme, addresses[0], port


# ---------------------------------------------------------------------------------------------
# Endpoints


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    """The signing secret: derived from the server key and the endpoint's random salt, so it
    is never stored."""
    digest = salted_hmac(
        KEY_SALT, endpoint.secret_salt, secret=integration_keys()[0], algorithm="sha256"
    )
    return f"whsec_{digest.hexdigest()}"


@transaction.atomic
def register_endpoint(*, association, url: str, by, description: str = ""):
    """Register an endpoint: ``(endpoint, secret)``. Show the secret once."""
    check_manager(association=association, by=by)
    url = (url or "").strip()
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
    if WebhookEndpoint.objects.filter(association=association, url=url, is_active=True):
        raise ValidationError({"url": [_("This endpoint is registered already.")]})
    endpoint = WebhookEndpoint(
        association=association,
        url=url,
        description=(description or "").strip()[:200],
        secret_salt=secrets.token_hex(32),
        created_by=by,
    )
    secret = endpoint_secret(endpoint)
    endpoint.secret_hint = secret[:10]
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def deactivate_endpoint(*, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    """Stop sending to an endpoint; its pending deliveries are cancelled."""
    check_manager(association=endpoint.association, by=by)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, last_error="The endpoint was switched off."
    )
    endpoint.refresh_from_db()
    return endpoint


# ---------------------------------------------------------------------------------------------
# Events


def _json(data) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _create_event(*, association, learner, type: str, data: dict) -> WebhookEvent | None:
    endpoints = list(WebhookEndpoint.objects.filter(association=association, is_active=True))
    if not endpoints:
        return None
    event = WebhookEvent(association=association, learner=learner, type=type, payload={})
    event.payload = {
        "id": str(event.event_id),
        "type": type,
        "created_at": timezone.now().isoformat(),
        "association": association.slug,
        "data": _json(data),
    }
    event.save()
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now)
        for endpoint in endpoints
    )
    return event


def _consenting_associations(learner):
    return [
        consent.organization
        for consent in SharingConsent.objects.active()
        .filter(user=learner, scope=ConsentScope.ASSOCIATION_RECORDS)
        .select_related("organization")
    ]


def record_changed(*, record, type: str, amendment=None) -> list[WebhookEvent]:
    """One event per association the learner shares records with (and that has endpoints)."""
    events = []
    for association in _consenting_associations(record.learner):
        if not WebhookEndpoint.objects.filter(association=association, is_active=True):
            continue
        rows = shared_records(association=association, record_ids=[record.pk], limit=1)
        if not rows:
            continue
        data = {"record": Record.model_validate(record_out(rows[0])).model_dump(mode="json")}
        if amendment is not None:
            data["amendment"] = {
                "fields": sorted(amendment.changes),
                "amended_at": amendment.amended_at.isoformat(),
            }
        event = _create_event(association=association, learner=record.learner, type=type, data=data)
        if event is not None:
            events.append(event)
    return events


def application_decided(
    *, application: Application, decision: ApplicationDecision
) -> WebhookEvent | None:
    """Tell the association's system of a decision, if the learner shares with it."""
    if not has_consent(user=application.learner, organization=application.association):
        return None
    endorsement = application.endorsement if decision.outcome == "approve" else None
    data = {
        "application": {
            "id": application.pk,
            "kind": application.kind,
            "category": application.category.code,
            "status": application.status,
            "learner": {
                "name": application.learner.get_full_name(),
                "email": application.learner.email,
            },
            "decision": decision.outcome,
            "decided_at": decision.decided_at,
            "comments": decision.comments,
            "requested_items": decision.requested_items,
            "endorsement": {
                "endorsed_on": endorsement.endorsed_on,
                "renewal_due": endorsement.renewal_due,
                "verification_url": public_url(
                    reverse("endorsement:verify", args=[endorsement.verification_id])
                ),
            }
            if endorsement
            else None,
        }
    }
    return _create_event(
        association=application.association,
        learner=application.learner,
        type=WebhookEventType.APPLICATION_DECIDED,
        data=data,
    )


# ---------------------------------------------------------------------------------------------
# Delivery


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{event_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _post(url: str, body: bytes | None, headers: dict, method: str = "POST") -> tuple[int, str]:
    """POST (or ``method``) to the address ``resolve`` checked (no redirects, no second
    lookup). Also how xAPI statements reach a learning record store."""
    scheme, address, port = resolve(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname
    default_port = 443 if scheme == "https" else 80
    headers = {**headers, "Host": host if port == default_port else f"{host}:{port}"}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            timeout=TIMEOUT,
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=TIMEOUT, retries=False)
    with pool:
        response = pool.urlopen(
            method, path, body=body, headers=headers, redirect=False, preload_content=False
        )
        excerpt = response.read(500, decode_content=True).decode("utf-8", "replace")
        response.release_conn()
    return response.status, excerpt


def _claim(delivery_id: int):
    """Lock the delivery, check it is due and still wanted, and lease it for one attempt."""
    delivery = (
        WebhookDelivery.objects.select_for_update()
        .select_related("event__association", "event__learner", "endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    now = timezone.now()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    if delivery.next_attempt_at and delivery.next_attempt_at > now:
        return None  # not due yet, or another attempt holds the lease
    if delivery.endpoint.disabled_at:
        # Held for a re-enable; its message is spent, so it holds no place on the broker.
        delivery.queued_until = None
        delivery.save(update_fields=["queued_until"])
        return None
    event = delivery.event
    if not delivery.endpoint.is_active:
        reason = "The endpoint was switched off."
    elif not has_consent(user=event.learner, organization=event.association):
        reason = "The learner no longer shares records with the association."
    else:
        reason = ""
    if reason:
        delivery.status, delivery.last_error = DeliveryStatus.CANCELLED, reason
        delivery.save(update_fields=["status", "last_error"])
        return None
    delivery.attempts += 1
    delivery.next_attempt_at = now + LEASE
    delivery.queued_until = now + LEASE  # in flight: still counts toward the caps
    delivery.save(update_fields=["attempts", "next_attempt_at", "queued_until"])
    return delivery


@dataclass(frozen=True)
class Attempted:
    """What one call of ``deliver`` came to: the delivery's status, and when a failed attempt
    is to be tried again (the caller queues that retry)."""

    status: str
    retry_in: datetime.timedelta | None = None


def deliver(delivery_id: int) -> Attempted:
    """Make one attempt of a delivery if it is due; safe to call twice."""
    with transaction.atomic():
        delivery = _claim(delivery_id)
    if delivery is None:
        return Attempted(
            WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
            or "missing"
        )
    event, endpoint = delivery.event, delivery.endpoint
    body = json.dumps(event.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Attune-Webhooks/1",
        EVENT_ID_HEADER: str(event.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(
            endpoint_secret(endpoint), str(event.event_id), timestamp, body
        ),
        TYPE_HEADER: event.type,
    }
    started = timezone.now()
    status_code, excerpt, error = None, "", ""
    try:
        status_code, excerpt = _post(endpoint.url, body, headers)
    except UnsafeURL as exc:
        error = str(exc)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = timezone.now() - started
    return _record_attempt(delivery, started, timestamp, status_code, excerpt, error, elapsed)


@transaction.atomic
def _record_attempt(
    delivery, started, timestamp, status_code, excerpt, error, elapsed
) -> Attempted:
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        signed_timestamp=timestamp,
        status_code=status_code,
        error=error,
        duration_ms=int(elapsed.total_seconds() * 1000),
        response_excerpt=excerpt,
    )
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.last_status_code = status_code
    delivery.last_error = error or ("" if status_code and status_code < 300 else excerpt[:300])
    delivery.queued_until = None
    if status_code is not None and 200 <= status_code < 300:
        endpoint_health.note_success(endpoint_id=delivery.endpoint_id)
        delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, timezone.now()
        delivery.next_attempt_at = None
    elif endpoint_health.note_failure(
        endpoint_id=delivery.endpoint_id, error=delivery.last_error or f"HTTP {status_code}"
    ):
        # This failure disabled the endpoint: the delivery waits, due, for a re-enable.
        delivery.next_attempt_at = timezone.now()
    elif timezone.now() - (delivery.retry_from or delivery.created_at) >= retry_window():
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        logger.warning(
            "Webhook delivery %s to %s gave up after %s attempts",
            delivery.pk,
            delivery.endpoint_id,
            delivery.attempts,
        )
    else:
        delay = retry_delay(delivery.attempts)
        delivery.next_attempt_at = timezone.now() + delay
        if delay > webhook_queue.short_retry():
            delivery.save()  # a queueing pass sends it when due
            return Attempted(delivery.status)
        # A short wait keeps the delivery's place and is a countdown message.
        delivery.queued_until = delivery.next_attempt_at + webhook_queue.queue_lease()
        delivery.save()
        return Attempted(delivery.status, retry_in=delay)
    delivery.save()
    return Attempted(delivery.status)


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Make a delivery due again now (same event id), whatever became of it; the caller
    queues it."""
    check_manager(association=delivery.endpoint.association, by=by)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not delivery.endpoint.is_active:
        raise ValidationError(_("This endpoint is switched off."))
    if delivery.endpoint.disabled_at:
        raise ValidationError(_("This endpoint is disabled after failing: re-enable it first."))
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = delivery.retry_from = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at", "retry_from"])
    return delivery

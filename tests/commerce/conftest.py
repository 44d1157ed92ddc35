"""Payments against a real fake Stripe: ``localstripe`` runs as a process on loopback for the
session, and the ``stripe`` library (through ``commerce.stripe_gateway``) talks to it.

Fixtures for every payments test:

``localstripe``        the server's base URL (session-scoped; started and stopped here)
``stripe_server``      points the settings at it (API base, Stripe.js) for one test
``merchant``           ``merchant(association)`` makes the association a Stripe merchant there
``card_token``         ``card_token(association, number)`` does what Stripe.js does in the
                       browser: turns card details into a token with the publishable key
``stripe_events``      ``stripe_events(association, payment_intent)`` the events localstripe
                       made for a PaymentIntent, newest first, as Stripe would send them
``deliver``            ``deliver(client, association, event)`` posts one of those events to
                       our webhook, signed by the stripe library's own helper
``localstripe_webhook`` ``localstripe_webhook(association, base_url)`` has localstripe itself
                       deliver its events to our webhook (for tests with a live server)
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import stripe

LOCALSTRIPE = Path(
    os.environ.get("ATTUNE_LOCALSTRIPE", Path(__file__).parents[2] / ".venv/bin/localstripe")
)
VISA = "4242424242424242"
# localstripe declines charges on this number (Stripe: attaches, then the charge fails).
DECLINED = "4000000000000341"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http(url: str, fields: dict | None = None, timeout: float = 10):
    """A request to localstripe on loopback (a POST when ``fields`` are given)."""
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    request = urllib.request.Request(url, data=data)  # noqa: S310 - localstripe, loopback
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310


def _answers(url: str) -> bool:
    try:
        with _http(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """A localstripe process for the test session; yields its base URL."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("localstripe")
    log = (workdir / "localstripe.log").open("wb")
    process = subprocess.Popen(
        [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while not _answers(f"{base}/js.stripe.com/v3/"):
            if process.poll() is not None:
                raise RuntimeError(
                    "localstripe exited: " + (workdir / "localstripe.log").read_text()[-2000:]
                )
            if time.monotonic() > deadline:
                raise RuntimeError("localstripe did not answer within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def stripe_server(localstripe, settings):
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    return localstripe


@pytest.fixture
def merchant(stripe_server, django_user_model):
    """``merchant(association)``: the association's Stripe keys set as its admin sets them.
    Each call gets its own keys and webhook secret (localstripe accepts any ``sk_`` key)."""
    from commerce.services.merchant import configure_merchant

    def make(association, *, by=None):
        tag = secrets.token_hex(6)
        return configure_merchant(
            association=association,
            by=by,
            publishable_key=f"pk_test_{tag}",
            secret_key=f"sk_test_{tag}",
            webhook_secret=f"whsec_{secrets.token_hex(16)}",
        )

    return make


def _post(url: str, fields: dict) -> dict:
    try:
        with _http(url, fields) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        return json.load(exc)


@pytest.fixture
def card_token(stripe_server):
    """What Stripe.js's ``createToken(card)`` does in the browser, with the publishable key."""

    def make(association, number: str = VISA) -> str:
        from commerce.models import MerchantAccount

        key = MerchantAccount.objects.get(association=association).publishable_key
        made = _post(
            f"{stripe_server}/v1/tokens",
            {
                "card[number]": number,
                "card[exp_month]": "12",
                "card[exp_year]": "2034",
                "card[cvc]": "123",
                "key": key,
            },
        )
        return made["id"]

    return make


def _client(association) -> stripe.StripeClient:
    from commerce.stripe_gateway import client_for

    return client_for(association)


@pytest.fixture
def stripe_events(stripe_server):
    """``stripe_events(association, payment_intent, type=None)``: localstripe's events about
    one PaymentIntent (it makes them asynchronously: waits up to 10 s for the first)."""

    def find(association, payment_intent: str, type: str | None = None, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while True:
            params = {"limit": 100, **({"type": type} if type else {})}
            found = [
                event
                for event in _client(association).v1.events.list(params=params).data
                if event.data.object.id == payment_intent
            ]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    return find


@pytest.fixture
def deliver():
    """``deliver(client, association, event, secret=None)``: POST the event as Stripe does,
    signed with the association's webhook secret (or ``secret``) by the stripe library."""
    from django.urls import reverse

    def post(client, association, event, *, secret: str | None = None, payload: str | None = None):
        from commerce.models import MerchantAccount

        body = payload if payload is not None else json.dumps(event.to_dict())
        secret = secret or MerchantAccount.objects.get(association=association).webhook_secret
        header = stripe.WebhookSignature.generate_signature_header(body, secret)
        return client.post(
            reverse("commerce:stripe_webhook", kwargs={"slug": association.slug}),
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )

    return post


@pytest.fixture
def localstripe_webhook(stripe_server):
    """``localstripe_webhook(association, base_url)``: localstripe delivers its events to the
    association's webhook at ``base_url`` (a live server), signed with its secret.

    localstripe sends every event to every endpoint it knows, for the whole session: each
    association has one endpoint id, and the test's end points it at a closed port so later
    tests' events do not knock on a server that is gone."""
    from django.urls import reverse

    registered = []

    def configure(endpoint: str, url: str, secret: str) -> None:
        with _http(
            f"{stripe_server}/_config/webhooks/{endpoint}", {"url": url, "secret": secret}
        ) as r:
            assert r.status == 200

    def register(association, base_url: str):
        from commerce.models import MerchantAccount

        url = base_url + reverse("commerce:stripe_webhook", kwargs={"slug": association.slug})
        secret = MerchantAccount.objects.get(association=association).webhook_secret
        endpoint = f"attune-{association.slug}"
        configure(endpoint, url, secret)
        registered.append((endpoint, secret))

    yield register
    for endpoint, secret in registered:
        # A port just bound and released: nothing listens, a delivery is refused at once.
        configure(endpoint, f"http://127.0.0.1:{_free_port()}/", secret)


# A paid webinar of Great Lakes ($60, $45 for members) and its buyer, signed in.


@pytest.fixture
def webinar(great_lakes):
    from tests.courses.factories import training

    return training(great_lakes, "Serve and return", kind="webinar", price=6000, member_price=4500)


@pytest.fixture
def buyer(db):
    from tests.factories import UserFactory

    return UserFactory(email="buyer@example.org")


@pytest.fixture
def signed_in(client, buyer):
    client.force_login(buyer)
    return client

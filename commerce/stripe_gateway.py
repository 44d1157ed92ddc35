"""The only module that talks to Stripe: one ``StripeClient`` per association's keys.

Each association is its own merchant, so nothing here uses the ``stripe`` module's global
key. ``settings.STRIPE_API_BASE`` points the client at Stripe, or at localstripe in tests.
Errors come back as our own exceptions carrying a message a buyer may read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PaymentsNotConfigured(Exception):
    """The association has not set its Stripe keys: it takes no online payments."""


class PaymentRefused(Exception):
    """Stripe refused the payment or refund; ``str(exc)`` is a message for the person."""


class GatewayUnavailable(Exception):
    """Stripe could not be reached or answered with an error of ours; logged with context."""


@dataclass(frozen=True)
class Attempt:
    """What confirming a card did: ``status`` is Stripe's PaymentIntent status."""

    payment_intent: str
    status: str
    client_secret: str = ""


def merchant_of(association, *, new_payment: bool = False):
    """The association's account. Only a new payment needs online payments switched on:
    webhooks and refunds of payments already made still work while they are off."""
    from .models import MerchantAccount

    account = MerchantAccount.objects.filter(association=association).first()
    if account is None or not account.has_keys or (new_payment and not account.enabled):
        raise PaymentsNotConfigured(association)
    return account


def client_for(
    association, *, new_payment: bool = False, secret_key: str = ""
) -> stripe.StripeClient:
    """A client with the association's secret key (or ``secret_key``, one being checked)."""
    key = secret_key or merchant_of(association, new_payment=new_payment).secret_key
    return stripe.StripeClient(
        key,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def _call(what: str, order, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as exc:
        raise PaymentRefused(exc.user_message or _("Your card was declined.")) from exc
    except stripe.InvalidRequestError as exc:
        logger.warning("Stripe refused %s for order %s: %s", what, order.reference, exc)
        raise PaymentRefused(exc.user_message or _("The payment could not be made.")) from exc
    except stripe.StripeError as exc:
        logger.error("Stripe failed on %s for order %s: %s", what, order.reference, exc)
        raise GatewayUnavailable(str(exc)) from exc


def prepare_intent(*, order) -> str:
    """The order's PaymentIntent id, created on the first attempt and brought to the order's
    current total on later ones (a coupon entered after a declined card changes it).

    It carries the order's reference in its metadata; the idempotency key makes a racing
    second request get the same intent back from Stripe.
    """
    intents = client_for(order.association, new_payment=True).v1.payment_intents
    if order.stripe_payment_intent:
        _call(
            "update", order, intents.update, order.stripe_payment_intent,
            params={"amount": order.total},
        )  # fmt: skip
        return order.stripe_payment_intent
    intent = _call(
        "create",
        order,
        intents.create,
        params={
            "amount": order.total,
            "currency": order.currency.lower(),
            "metadata": {"order": str(order.reference), "association": order.association.slug},
        },
        options={"idempotency_key": f"order-{order.reference}-intent"},
    )
    return intent.id


def confirm_card(*, order, card_token: str) -> Attempt:
    """Charge the order's PaymentIntent (``prepare_intent`` first) to the card that Stripe.js
    tokenized. A declined card raises ``PaymentRefused`` with Stripe's reason."""
    client = client_for(order.association, new_payment=True)
    intents = client.v1.payment_intents
    token = _call("token", order, client.v1.tokens.retrieve, card_token)
    card = token.to_dict().get("card")
    if not card or not card.get("id"):
        raise PaymentRefused(_("Your card details could not be read. Please enter them again."))
    pi = order.stripe_payment_intent
    _call("attach", order, intents.update, pi, params={"payment_method": card["id"]})
    intent = _call("confirm", order, intents.confirm, pi)
    return Attempt(intent.id, intent.status, intent.client_secret or "")


def retrieve_intent(*, order):
    return _call(
        "retrieve",
        order,
        client_for(order.association).v1.payment_intents.retrieve,
        order.stripe_payment_intent,
    )


def refund(*, order, amount: int, idempotency_key: str) -> str:
    """Give ``amount`` of the order's payment back; returns Stripe's refund id."""
    client = client_for(order.association)
    made = _call(
        "refund",
        order,
        client.v1.refunds.create,
        params={
            "payment_intent": order.stripe_payment_intent,
            "amount": amount,
            "metadata": {"order": str(order.reference)},
        },
        options={"idempotency_key": idempotency_key},
    )
    return made.id


def verified_event(*, association, payload: bytes, signature: str):
    """The event Stripe signed with this association's webhook secret; raises
    ``ValueError`` or ``stripe.SignatureVerificationError`` for anything else."""
    secret = merchant_of(association).webhook_secret
    return stripe.Webhook.construct_event(payload, signature, secret)


def check_connection(*, association) -> str:
    """Ask Stripe for the account's balance with the association's saved secret key (the
    other keys need not be set yet); returns "" when Stripe answered, else why not, for the
    admin to read."""
    from .models import MerchantAccount

    account = MerchantAccount.objects.filter(association=association).first()
    if account is None or not account.secret_key_encrypted:
        return _("No secret key is set.")
    try:
        client_for(association, secret_key=account.secret_key).v1.balance.retrieve()
    except stripe.AuthenticationError:
        return _("Stripe refused the secret key: check that you copied it whole.")
    except stripe.PermissionError:
        return _("This restricted key may not read the account's balance: give it that right.")
    except stripe.StripeError as exc:
        logger.warning("Stripe connection check for %s failed: %s", association.slug, exc)
        return _("Stripe could not be reached: %(why)s") % {
            "why": exc.user_message or exc.__class__.__name__
        }
    return ""

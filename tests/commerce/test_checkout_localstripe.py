"""The localstripe fixture: a real process answering the stripe library."""

from commerce.stripe_gateway import client_for


def test_localstripe_answers_the_stripe_library(great_lakes, merchant):
    merchant(great_lakes)
    intent = client_for(great_lakes).v1.payment_intents.create(
        params={"amount": 8500, "currency": "usd"}
    )
    assert intent.id.startswith("pi_") and intent.amount == 8500

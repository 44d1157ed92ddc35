"""An applicant pays their application's fee by card against localstripe, then submits:
the submit gate opens only once Stripe's signed webhook has marked the fee paid."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commerce.models import OrderStatus
from lms.endorsement.models import ApplicationStatus, FeeStatus
from lms.endorsement.services.applications import submit_application
from tests.factories import OrganizationFactory
from tests.lms.endorsement.applying import ready_application, sent_at_once, small_rules

from .test_checkout import pay


@pytest.fixture
def charging(framework):
    """An association with small application rules that charges $85 + $25 on an application."""
    lakes = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(lakes)
    initial = lakes.requirement_sets.get(kind="initial")
    initial.registration_fee, initial.submission_fee = 8500, 2500
    initial.save()
    return lakes


def test_an_application_fee_paid_by_card_then_the_application_is_submitted(
    client, charging, merchant, card_token, stripe_events, deliver
):
    merchant(charging)
    application, _raters = ready_application(charging)
    applicant = application.learner
    client.force_login(applicant)
    with pytest.raises(ValidationError, match=r"\$110\.00 must be paid"):
        submit_application(application=application, learner=applicant)

    client.post(reverse("commerce:application_fee_pay", args=[application.pk]))
    order = applicant.orders.get()
    assert (order.total, order.status) == (11000, OrderStatus.PENDING)
    answer = pay(client, order, card_token(charging))
    assert answer.status_code == 200, answer.content
    order.refresh_from_db()
    # Paid at Stripe, but not yet confirmed by its webhook: the gate stays shut.
    with pytest.raises(ValidationError, match="must be paid"):
        submit_application(application=application, learner=applicant)

    (event,) = stripe_events(charging, order.stripe_payment_intent, "payment_intent.succeeded")
    assert deliver(client, charging, event).content == b"paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert application.fee.status == FeeStatus.PAID
    assert application.fee.order_reference == str(order.reference)
    with sent_at_once():
        submit_application(application=application, learner=applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

"""Endorsement fees: what an application owes, the submit gate, paying through a FEE order
line, waiving with a reason, and what the applicant and the admin see."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commerce.fulfilment import fulfil_line
from commerce.models.orders import LineKind
from lms.audit.models import AuditAction, AuditEvent
from lms.endorsement.models import ApplicationFee, ApplicationStatus, FeeStatus
from lms.endorsement.selectors.fees import application_fee
from lms.endorsement.services.applications import submit_application
from lms.endorsement.services.fees import fix_fee, mark_fee_paid, waive_fee
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.lms.endorsement.applying import ready_application, sent_at_once


@pytest.fixture
def charging(lakes):
    """Lakes charges $85 to register and $25 to process an initial application."""
    initial = lakes.requirement_sets.get(kind="initial")
    initial.registration_fee, initial.submission_fee = 8500, 2500
    initial.save()
    return lakes


def test_no_fee_no_gate(lakes):
    application, _raters = ready_application(lakes)
    assert application_fee(application=application).settled
    with sent_at_once():
        submit_application(application=application, learner=application.learner)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not ApplicationFee.objects.exists()


def test_an_application_with_a_fee_due_cannot_be_submitted(charging):
    application, _raters = ready_application(charging)
    quote = application_fee(application=application)
    assert (quote.registration, quote.submission, quote.amount) == (8500, 2500, 11000)
    with pytest.raises(ValidationError, match=r"\$110\.00 must be paid"):
        submit_application(application=application, learner=application.learner)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_fee_paid_through_a_fee_line_then_submission(charging):
    from commerce.services.orders import LineSpec, place_order

    application, _raters = ready_application(charging)
    fee = fix_fee(application=application)
    order = place_order(
        buyer=application.learner,
        association=charging,
        lines=[LineSpec(LineKind.FEE, application.pk, "Fee", fee.amount)],
    )
    line = order.lines.get()
    fulfil_line(line)
    fulfil_line(line)  # delivered twice: paid once

    fee.refresh_from_db()
    assert (fee.status, fee.amount, fee.order_reference) == (
        FeeStatus.PAID,
        11000,
        str(order.reference),
    )
    assert AuditEvent.objects.filter(action=AuditAction.FEE_PAID).count() == 1
    with sent_at_once():
        submit_application(application=application, learner=application.learner)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_registration_fee_is_charged_once_per_association(charging):
    from lms.competencies.models import EndorsementCategory
    from lms.endorsement.services.applications import start_application
    from tests.lms.endorsement.factories import requirement_set

    first, _raters = ready_application(charging)
    other = EndorsementCategory.objects.exclude(code="IFS").first()
    requirement_set(
        charging, other.code, kind="initial", registration_fee=8500, submission_fee=2500
    )
    second = start_application(
        learner=first.learner, association=charging, category=other, kind="initial"
    )
    assert application_fee(application=second).registration == 8500  # nothing settled yet

    mark_fee_paid(application_id=first.pk, order_reference="order-1", amount=11000)

    quote = application_fee(application=second)
    assert (quote.registration, quote.submission) == (0, 2500)


def test_an_admin_waives_a_fee_with_a_reason(charging):
    application, _raters = ready_application(charging)
    admin = member(charging, Role.ADMIN)
    reviewer = member(charging, Role.REVIEWER)
    with pytest.raises(PermissionError):
        waive_fee(application=application, by=reviewer, reason="Scholarship")
    with pytest.raises(ValidationError):
        waive_fee(application=application, by=admin, reason="  ")
    assert not ApplicationFee.objects.filter(status=FeeStatus.WAIVED).exists()

    fee = waive_fee(application=application, by=admin, reason="2026 scholarship")

    assert (fee.status, fee.waived_by, fee.amount) == (FeeStatus.WAIVED, admin, 11000)
    event = AuditEvent.objects.get(action=AuditAction.FEE_WAIVED)
    assert event.actor == admin and event.details["reason"] == "2026 scholarship"
    with sent_at_once():
        submit_application(application=application, learner=application.learner)


def test_applicant_sees_the_fee_and_a_pay_button(client, charging):
    application, _raters = ready_application(charging)
    client.force_login(application.learner)
    page = client.get(reverse("endorsement:application", args=[application.pk]) + "?step=review")
    body = page.content.decode()
    assert "$110.00" in body and "Pay the fee" in body
    assert reverse("commerce:application_fee_pay", args=[application.pk]) in body
    assert reverse("endorsement:application_submit", args=[application.pk]) not in body

    response = client.post(reverse("commerce:application_fee_pay", args=[application.pk]))
    assert response.status_code == 302
    order = application.learner.orders.get()
    line = order.lines.get()
    assert (line.kind, line.target_id, line.amount) == (LineKind.FEE, application.pk, 11000)


def test_someone_else_cannot_pay_or_see_anothers_fee(client, charging):
    from tests.factories import UserFactory

    application, _raters = ready_application(charging)
    client.force_login(UserFactory())
    response = client.post(reverse("commerce:application_fee_pay", args=[application.pk]))
    assert response.status_code == 404
    assert not ApplicationFee.objects.exists()


def test_admin_fee_screen_waives(client, charging):
    application, _raters = ready_application(charging)
    fix_fee(application=application)
    admin = member(charging, Role.ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("applications_admin:fees"))
    assert listing.status_code == 200 and "$110.00" in listing.content.decode()
    url = reverse("applications_admin:fee", args=[application.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # the form says why
    assert ApplicationFee.objects.get().status == FeeStatus.DUE
    response = client.post(url, {"reason": "Scholarship"})
    assert response.status_code == 302
    assert ApplicationFee.objects.get().status == FeeStatus.WAIVED

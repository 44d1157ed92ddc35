"""Writes on an application's fee: fixing the amount to pay, marking it paid (called by
commerce's FEE line fulfilment once Stripe confirmed the payment) and waiving it.

Every settlement goes to the audit log. Endorsement never imports commerce: the paying
order is named by its reference.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.money import format_money
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from ..models import OPEN_STATUSES, Application, ApplicationFee, FeeStatus
from ..selectors.fees import FeeQuote, application_fee


def _locked_fee(application: Application) -> ApplicationFee:
    """The application's fee row, locked (made on first use)."""
    ApplicationFee.objects.get_or_create(application_id=application.pk)
    return ApplicationFee.objects.select_for_update().get(application_id=application.pk)


def _store(row: ApplicationFee, quote: FeeQuote) -> None:
    row.currency = quote.currency
    row.registration_amount = quote.registration
    row.submission_amount = quote.submission
    row.renewal_amount = quote.renewal
    row.amount = quote.amount


@transaction.atomic
def fix_fee(*, application: Application) -> ApplicationFee | None:
    """The fee to pay now, stored on the application (amounts as the rules charge them
    today); None when nothing is charged. A settled fee is returned as it was."""
    quote = application_fee(application=application)
    if quote.row is not None and quote.row.is_settled:
        return quote.row
    if quote.amount == 0:
        return None
    if application.status not in OPEN_STATUSES:
        raise ValidationError(_("This application is closed; it has no fee to pay."))
    row = _locked_fee(application)
    if row.is_settled:
        return row
    _store(row, quote)
    row.save()
    return row


@transaction.atomic
def mark_fee_paid(*, application_id: int, order_reference: str, amount: int) -> ApplicationFee:
    """The fee was paid through the order ``order_reference`` (``amount`` as the order
    line froze it). Idempotent: a second call for a settled fee changes nothing."""
    application = Application.objects.select_related("association").get(pk=application_id)
    row = _locked_fee(application)
    if row.is_settled:
        return row
    if row.amount == 0:  # paid before the amount was fixed: the rules' parts, as today
        _store(row, application_fee(application=application))
    if row.amount != amount:
        # The rules changed between ordering and paying: what the order froze is the fee,
        # its registration and renewal parts first.
        row.registration_amount = min(row.registration_amount, amount)
        row.renewal_amount = min(row.renewal_amount, amount - row.registration_amount)
        row.submission_amount = amount - row.registration_amount - row.renewal_amount
        row.amount = amount
        row.currency = getattr(application.association, "currency", "") or row.currency
    row.status, row.settled_at = FeeStatus.PAID, timezone.now()
    row.order_reference = str(order_reference)
    row.save()
    record_event(
        action=AuditAction.FEE_PAID,
        organization=application.association,
        target=application,
        details={"amount": amount, "currency": row.currency, "order": row.order_reference},
    )
    return row


@transaction.atomic
def waive_fee(*, application: Application, by, reason: str) -> ApplicationFee:
    """An association admin waives the fee (a scholarship, say), saying why."""
    if not user_can(
        user=by, action=Action.MANAGE_APPLICATIONS, organization=application.association
    ):
        raise PermissionError(_("Only the association's administrators can waive a fee."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the fee is waived (e.g. a scholarship).")]})
    quote = application_fee(application=application)
    row = _locked_fee(application)
    if row.is_settled:
        raise ValidationError(
            _("This fee is already %(status)s.") % {"status": row.get_status_display().lower()}
        )
    if quote.amount == 0:
        raise ValidationError(_("This application has no fee to waive."))
    _store(row, quote)
    row.status, row.settled_at = FeeStatus.WAIVED, timezone.now()
    row.waived_by, row.waiver_reason = by, reason[:300]
    row.save()
    record_event(
        action=AuditAction.FEE_WAIVED,
        organization=application.association,
        target=application,
        actor=by,
        details={"amount": row.amount, "currency": row.currency, "reason": row.waiver_reason},
    )
    return row


def require_fee_settled(*, application: Application) -> None:
    """Refuse to submit while a fee is due."""
    quote = application_fee(application=application)
    if not quote.settled:
        raise ValidationError(
            _("The application fee of %(amount)s must be paid (or waived) before you submit.")
            % {"amount": format_money(quote.amount, quote.currency)}
        )

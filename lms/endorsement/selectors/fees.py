"""What an application's fee is: the parts the rule set in effect charges, or what was
settled. Reads only; ``services.fees`` writes."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from lms.money import currency_of

from ..models import Application, ApplicationFee, ApplicationKind, FeeStatus, RequirementSet


@dataclass(frozen=True)
class FeeQuote:
    currency: str
    registration: int = 0
    submission: int = 0
    renewal: int = 0
    # The fee row when there is one (due, paid or waived).
    row: ApplicationFee | None = None

    @property
    def amount(self) -> int:
        return self.registration + self.submission + self.renewal

    @property
    def status(self) -> str:
        if self.row is not None and self.row.is_settled:
            return self.row.status
        return FeeStatus.DUE if self.amount else ""

    @property
    def settled(self) -> bool:
        """Nothing stands in the way of submitting: no fee, or paid or waived."""
        return self.amount == 0 or (self.row is not None and self.row.is_settled)


def _rules(application: Application) -> RequirementSet | None:
    return (
        RequirementSet.objects.filter(
            association_id=application.association_id,
            category_id=application.category_id,
            kind=application.kind,
        )
        .in_effect(timezone.localdate())
        .first()
    )


def registration_already_charged(*, application: Application) -> bool:
    """The registration fee is charged once per person and association: not again once
    another application of theirs there was submitted or settled a registration fee."""
    others = Application.objects.filter(
        learner_id=application.learner_id, association_id=application.association_id
    ).exclude(pk=application.pk)
    if others.filter(submitted_at__isnull=False).exists():
        return True
    return ApplicationFee.objects.filter(
        application__in=others,
        registration_amount__gt=0,
        status__in=(FeeStatus.PAID, FeeStatus.WAIVED),
    ).exists()


def application_fee(*, application: Application) -> FeeQuote:
    """The application's fee: as settled (frozen), else as the rules in effect charge it."""
    row = ApplicationFee.objects.filter(application=application).first()
    currency = currency_of(application.association)
    if row is not None and row.is_settled:
        return FeeQuote(
            currency=row.currency,
            registration=row.registration_amount,
            submission=row.submission_amount,
            renewal=row.renewal_amount,
            row=row,
        )
    rules = _rules(application)
    if rules is None:
        return FeeQuote(currency=currency, row=row)
    registration = rules.registration_fee
    if registration and registration_already_charged(application=application):
        registration = 0
    return FeeQuote(
        currency=currency,
        registration=registration,
        submission=rules.submission_fee,
        renewal=rules.renewal_fee if application.kind == ApplicationKind.RENEWAL else 0,
        row=row,
    )


def fees_due(*, associations) -> list[ApplicationFee]:
    """Open applications whose fee is still due, for the associations' admins."""
    return list(
        ApplicationFee.objects.filter(
            status=FeeStatus.DUE, application__association__in=associations
        )
        .exclude(application__status="withdrawn")
        .select_related("application__learner", "application__category", "application__association")
        .order_by("-updated_at")[:200]
    )


def fee_for_display(*, application: Application) -> dict | None:
    """The fee as the applicant and reviewers see it, amounts in words of money; None when
    the application has no fee at all."""
    from lms.money import format_money

    quote = application_fee(application=application)
    if quote.amount == 0 and quote.row is None:
        return None
    row = quote.row if quote.row is not None and quote.row.is_settled else None
    parts = [
        (label, format_money(value, quote.currency))
        for label, value in (
            (gettext("Registration fee"), quote.registration),
            (gettext("Processing fee"), quote.submission),
            (gettext("Renewal fee"), quote.renewal),
        )
        if value
    ]
    return {
        "quote": quote,
        "amount": format_money(quote.amount, quote.currency),
        "parts": parts,
        "status": quote.status,
        "settled": quote.settled,
        "row": row,
    }

"""The continuing-education credit a training offers, as learners read it on its page."""

from dataclasses import dataclass

from django import template
from django.utils.text import Truncator

from lms.records.templatetags.records_tags import credit_amount

register = template.Library()

# The page shows the approval statement's opening; the certificate carries it word for word.
STATEMENT_WORDS = 30


@dataclass(frozen=True)
class CreditShown:
    kind: str
    amount: str
    category: str
    awarding_body: str
    statement: str
    approval_number: str


@register.simple_tag
def credit_offered(page) -> list[CreditShown]:
    """The kinds ``page`` offers, active ones only, in the editor's order."""
    offers = page.credit_offers.select_related("kind").filter(kind__is_active=True)
    return [
        CreditShown(
            kind=offer.kind.name,
            amount=credit_amount(offer.amount, offer.kind.unit),
            category=offer.get_category_display(),
            awarding_body=offer.kind.awarding_body,
            statement=Truncator(offer.kind.certificate_statement).words(STATEMENT_WORDS),
            approval_number=offer.approval_number or offer.kind.approval_number,
        )
        for offer in offers
    ]

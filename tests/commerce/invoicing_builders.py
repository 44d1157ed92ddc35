"""A center's draft contract with an association, and its invoice at each state, made
through the invoicing services as the admin screens make them."""

import datetime

from django.utils import timezone

from commerce.invoicing import services
from lms.organizations.models import Role
from tests.centers.builders import center_with_manager, contract
from tests.courses.factories import member, training


def invoicing_world(association, *, slug="sunrise", seats=12):
    """(admin, center, manager, contract, [webinar, course]) with a DRAFT contract."""
    admin = member(association, Role.ADMIN)
    center, manager = center_with_manager(slug=slug, name=f"{slug.title()} Family Services")
    webinar = training(association, "Serve and Return Basics", kind="webinar")
    course = training(association, "Reflective Practice Foundations")
    deal = contract(
        association,
        center,
        [webinar, course],
        seats=seats,
        status="draft",
        title="Home visitors 2026",
    )
    return admin, center, manager, deal, [webinar, course]


def quote(deal, admin, prices=((8, 4500), (4, 12000))):
    lines = [
        services.QuoteLine(contract_training=line, quantity=seats, unit_amount=unit)
        for line, (seats, unit) in zip(deal.trainings.order_by("sort_order"), prices, strict=False)
    ]
    return services.draw_up_quote(contract=deal, lines=lines, by=admin)


def issued(deal, admin, manager, *, po="PO-7781", due_on=None):
    invoice = quote(deal, admin)
    services.record_purchase_order(invoice=invoice, po_number=po, by=manager)
    return services.issue_invoice(
        invoice=invoice,
        by=admin,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=30),
        payment_instructions="Mail checks to 12 Elm St, Lansing MI.",
    )

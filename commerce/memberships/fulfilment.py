"""What a paid MEMBERSHIP or FEE line does (registered in ``apps.ready``). Each handler
runs inside the transaction that marks the order paid and is idempotent."""

from lms.endorsement.services.fees import mark_fee_paid

from .models import MembershipPlan, MembershipSource
from .services import add_term


def fulfil_membership(line) -> None:
    """A MEMBERSHIP line names a plan: the buyer joins, or renews from their end date."""
    plan = MembershipPlan.objects.select_related("association").get(pk=line.target_id)
    add_term(
        person=line.order.buyer,
        plan=plan,
        source=MembershipSource.PURCHASE,
        amount=line.amount,
        order_line=line,
    )


def fulfil_fee(line) -> None:
    """A FEE line names an endorsement application: its fee is paid."""
    mark_fee_paid(
        application_id=line.target_id,
        order_reference=str(line.order.reference),
        amount=line.amount,
    )

"""Orders and their lines, payments' events and refunds, and each association's Stripe account.

Every module of ``commerce.models`` is re-exported here.
"""

from .merchant import MerchantAccount
from .orders import LineKind, Order, OrderLine, OrderStatus
from .payments import Refund, StripeEvent

__all__ = [
    "LineKind",
    "MerchantAccount",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Refund",
    "StripeEvent",
]

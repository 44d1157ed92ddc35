"""Orders and their lines: the frozen record of what a person bought and what it cost.

Every module of ``commerce.models`` is re-exported here.
"""

from .orders import LineKind, Order, OrderLine, OrderStatus

__all__ = ["LineKind", "Order", "OrderLine", "OrderStatus"]

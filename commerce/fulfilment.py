"""What a paid line does: one handler per line kind, registered by the part that owns it.

``commerce.services`` calls ``fulfil_line`` once per line after Stripe's signed webhook
confirms the payment, inside the transaction that marks the order paid; a handler must be
idempotent (a second call for the same line changes nothing) and raise to roll back.
``revoke_line`` undoes a line's effect on a refund when the admin asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LineHandler:
    fulfil: Callable  # (line) -> None
    revoke: Callable | None = None  # (line) -> None; None: a refund keeps the effect


_HANDLERS: dict[str, LineHandler] = {}


def register(kind: str, handler: LineHandler) -> None:
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> LineHandler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no fulfilment registered for {kind!r} lines") from None


def fulfil_line(line) -> None:
    handler_for(line.kind).fulfil(line)


def revoke_line(line) -> None:
    handler = handler_for(line.kind)
    if handler.revoke is not None:
        handler.revoke(line)

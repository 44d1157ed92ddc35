"""Coupons and bundles at checkout: reserving a coupon's use for an order (under the coupon
row's lock, so that concurrent checkouts never use it past its limit), the discount it gives
each line (integers that add up exactly) and giving a use back (a bundle's order line is
``lines.bundle_lines``: it builds on the checkout's ``LineSpec``, which reaches back here).

``commerce.services.orders`` reserves a use for the order it is writing, in the same
transaction; the checkout's settlement keeps it (``keep_coupon``) once the order is paid.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .models import Coupon, CouponKind, CouponRedemption, RedemptionStatus

# Line kinds a coupon may discount: trainings and bundles, never dues, fees or invoices.
DISCOUNTED_KINDS = ("training", "bundle")


def split_discount(total: int, weights: list[int]) -> list[int]:
    """``total`` split across lines in proportion to ``weights`` (their amounts), as
    integers that add up to ``total`` exactly (largest remainders get the leftover units).
    No share exceeds its weight when ``total`` does not exceed their sum."""
    whole = sum(weights)
    if total < 0 or any(w < 0 for w in weights) or total > whole:
        raise ValueError("a discount is between 0 and the amounts it applies to")
    if whole == 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def coupon_total(coupon: Coupon, eligible: int) -> int:
    """What the coupon takes off ``eligible`` (minor units): a percentage rounded half up,
    or the fixed amount, never more than ``eligible``."""
    if coupon.kind == CouponKind.PERCENT:
        return min(eligible, (eligible * coupon.percent_off + 50) // 100)
    return min(eligible, coupon.amount_off or 0)


def uses_of(coupon: Coupon) -> int:
    return coupon.redemptions.exclude(status=RedemptionStatus.RELEASED).count()


def _applies_to(line, training_ids: set[int] | None) -> bool:
    kind = str(getattr(line, "kind", ""))
    if kind not in DISCOUNTED_KINDS:
        return False
    if training_ids is None:
        return True
    return kind == "training" and line.target_id in training_ids


def _refusal(coupon: Coupon | None, *, today: datetime.date) -> str | None:
    if coupon is None or not coupon.active:
        return _("That coupon code is not valid.")
    if coupon.valid_from and today < coupon.valid_from:
        return _("That coupon cannot be used yet.")
    if coupon.valid_until and today > coupon.valid_until:
        return _("That coupon has expired.")
    if coupon.max_uses is not None and uses_of(coupon) >= coupon.max_uses:
        return _("That coupon has been used up.")
    return None


def _gross(line) -> int:
    return line.unit_amount * getattr(line, "quantity", 1)


@transaction.atomic
def reserve_coupon(*, code, association, buyer, lines, order=None):
    """Reserve one use of the association's coupon ``code`` for an order of ``lines``
    (``LineSpec``-like: kind, target_id, unit_amount, quantity). Returns the coupon and the
    discount of each line. Refuses with a ValidationError (and writes nothing) a code that is
    unknown, inactive, not yet valid, expired, used up, or for none of these lines."""
    code = (code or "").strip()
    lines = list(lines)
    today = timezone.localdate()
    # The lock makes counting and adding a use one step: checkouts of the same coupon queue.
    coupon = (
        Coupon.objects.select_for_update()
        .filter(association=association, code__iexact=code)
        .first()
        if code
        else None
    )
    refusal = _refusal(coupon, today=today)
    if refusal:
        raise ValidationError(refusal, code="coupon")
    restricted = set(coupon.trainings.values_list("pk", flat=True)) or None
    eligible = [_applies_to(line, restricted) for line in lines]
    weights = [_gross(line) if ok else 0 for line, ok in zip(lines, eligible, strict=True)]
    if not any(eligible) or sum(weights) == 0:
        raise ValidationError(_("That coupon is not for these trainings."), code="coupon")
    discounts = split_discount(coupon_total(coupon, sum(weights)), weights)
    use = CouponRedemption.objects.create(
        coupon=coupon, buyer=buyer, order=order, discount=sum(discounts)
    )
    record_event(
        action=AuditAction.COUPON_RESERVED,
        organization=association,
        target=coupon,
        actor=buyer,
        details={"discount": use.discount, "use": use.pk},
    )
    return coupon, discounts


def keep_coupon(*, order) -> None:
    """A paid order keeps the use it reserved (the checkout's settlement calls it)."""
    CouponRedemption.objects.filter(order=order, status=RedemptionStatus.RESERVED).update(
        status=RedemptionStatus.KEPT
    )


@transaction.atomic
def release_coupon(*, order) -> None:
    """Give back the coupon use an order reserved (its payment failed, it expired, or the
    buyer changed the code). Giving it back twice changes nothing; a paid order keeps it."""
    use = (
        CouponRedemption.objects.select_for_update()
        .filter(order=order, status=RedemptionStatus.RESERVED)
        .select_related("coupon")
        .first()
    )
    if use is None:
        return
    use.status = RedemptionStatus.RELEASED
    use.released_at = timezone.now()
    # Unlinked, so that the same order may reserve a use again (apply_coupon).
    use.order = None
    use.save(update_fields=["status", "released_at", "order"])
    record_event(
        action=AuditAction.COUPON_RELEASED,
        organization=use.coupon.association,
        target=use.coupon,
        details={"order": str(order.reference), "discount": use.discount},
    )

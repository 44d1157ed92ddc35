"""What a training costs a learner on a day, and how its prices read.

Prices are the canonical training's (a Spanish translation or alias shows and charges the
same), in its association's currency's minor unit. The lowest price that applies wins: a
member never pays more than a non-member, and an early-bird price never raises a price.
Whether the learner is a member is the caller's to say (memberships live above courses).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.formats import date_format

from lms.money import currency_of, format_money
from lms.organizations.models import Organization

from .selectors.translations import canonical_page


def _prices_of(training):
    return canonical_page(training)


def _early_bird_on(training, on: datetime.date) -> bool:
    until = training.early_bird_until
    return until is not None and on <= until


def training_price(*, training, member: bool, on: datetime.date | None = None) -> int:
    """The amount (minor units) a member or non-member pays for ``training`` on ``on``."""
    training = _prices_of(training)
    return _lowest(
        training, member=member, early=_early_bird_on(training, on or timezone.localdate())
    )


def _lowest(training, *, member: bool, early: bool) -> int:
    candidates = [training.price or 0]
    if early and training.early_bird_price is not None:
        candidates.append(training.early_bird_price)
    if member:
        if training.member_price is not None:
            candidates.append(training.member_price)
        if early and training.early_bird_member_price is not None:
            candidates.append(training.early_bird_member_price)
    return min(candidates)


def is_paid(training) -> bool:
    """True when a non-member pays for ``training`` at its regular price: it cannot be
    enrolled in for free (only bought, or on a seat or a fee-covering access code)."""
    return (_prices_of(training).price or 0) > 0


def training_currency(training) -> str:
    """The currency of the association whose site holds ``training``."""
    association = getattr(_prices_of(training), "owning_association", None)
    return currency_of(association)


def owner_currency() -> Subquery:
    """An annotation: the currency of the association whose site root is above a training
    (the deepest), read in the list's own query (the catalog adds no query for prices)."""
    root_path = F("site__root_page__path")
    return Subquery(
        Organization.objects.filter(site__isnull=False)
        .alias(root_path=root_path)
        .filter(root_path=Left(OuterRef("path"), Length(root_path)))
        .order_by("-site__root_page__depth")
        .values("currency")[:1]
    )


@dataclass(frozen=True)
class PriceTag:
    """A training's prices as a reader of the active language writes them."""

    free: bool
    price: str = ""
    member_price: str = ""  # only when it differs from ``price``
    early_price: str = ""
    early_member_price: str = ""  # only when it differs from ``early_price``
    early_until: str = ""


def price_tag(
    *,
    training,
    currency: str | None = None,
    on: datetime.date | None = None,
    canonical: bool = False,
) -> PriceTag:
    """What the catalog card and the training's page say about its price today.
    ``canonical``: ``training`` is known to be THE training already (no lookup)."""
    source = training if canonical else _prices_of(training)
    if not (source.price or 0) > 0:
        return PriceTag(free=True)
    currency = currency or training_currency(source)
    on = on or timezone.localdate()
    regular = source.price
    member = _lowest(source, member=True, early=False)
    tag = {"free": False, "price": format_money(regular, currency)}
    if member != regular:
        tag["member_price"] = format_money(member, currency)
    if _early_bird_on(source, on):
        early = _lowest(source, member=False, early=True)
        early_member = _lowest(source, member=True, early=True)
        if early != regular or early_member != member:
            tag["early_price"] = format_money(early, currency)
            if early_member != early:
                tag["early_member_price"] = format_money(early_member, currency)
            tag["early_until"] = date_format(source.early_bird_until, "DATE_FORMAT")
    return PriceTag(**tag)

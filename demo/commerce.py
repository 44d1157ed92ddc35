"""Demo payments for Great Lakes: prices on a few trainings, an annual membership plan, the
endorsement fees of the seeds, a coupon and a bundle.

The demo sets no Stripe keys (the embedded default has no Stripe account): training pages
show their prices and say the association has not set up online payments, and free trainings
(the demo webinar the learner journeys use among them) are enrolled in as before.

Run by ``load_demo`` after the catalog and the endorsement rules exist. Idempotent: a price,
plan, fee, coupon or bundle an admin has changed since is left as it is.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from commerce.memberships.models import MembershipPlan
from commerce.offers.models import Bundle, Coupon, CouponKind
from courses.models import TrainingPage
from lms.endorsement.models import RequirementSet
from lms.organizations.models import Organization

ASSOCIATION = "great-lakes"


@dataclass(frozen=True)
class DemoPrice:
    slug: str
    price: int  # cents, like every amount (lms.money)
    member_price: int
    # Early bird: these prices until this many days before the event (live events only).
    early_bird: tuple[int, int] | None = None
    early_bird_days_before: int = 0


# The free trainings stay free: the ten-second demo webinar the journeys complete, and the
# trainings the demo center's contract seats staff on.
PRICES = [
    DemoPrice("screening-social-emotional", 6000, 4500),
    DemoPrice("navigating-systems", 8500, 6500),
    DemoPrice(
        "reflective-supervision-basics",
        12000,
        9000,
        early_bird=(10000, 7500),
        early_bird_days_before=21,
    ),
]
PLAN = {
    "name": "Annual membership",
    "description": "Member prices on every Great Lakes training, and membership ticked on "
    "your endorsement checklist for as long as it runs.",
    "annual_dues": 7000,
    "length_months": 12,
}
# The seeds: $85 to register in the application system (with membership), a processing fee
# on submission (its amount is not in the seeds: $40 here), a $30 renewal fee.
INITIAL_FEES = {"registration_fee": 8500, "submission_fee": 4000}
RENEWAL_FEES = {"renewal_fee": 3000}
COUPON = {
    "code": "WELCOME10",
    "description": "10% off for people new to Great Lakes trainings (demo)",
    "kind": CouponKind.PERCENT,
    "percent_off": 10,
    "max_uses": 100,
}
BUNDLE = {
    "title": "Supervision and screening pack: 5 hours",
    "description": "Reflective supervision basics and the screening webinar together, for "
    "your annual renewal hours.",
    "price": 15000,
    "member_price": 11500,
    "trainings": ("reflective-supervision-basics", "screening-social-emotional"),
}


def _training(association: Organization, slug: str) -> TrainingPage | None:
    root = association.site.root_page
    return (
        TrainingPage.objects.descendant_of(root)
        .filter(slug=slug, locale__language_code="en", alias_of=None)
        .first()
    )


def _event_day(training) -> datetime.date | None:
    starts = getattr(training.specific, "starts_at", None)
    return timezone.localdate(starts) if starts else None


def _price(association: Organization, spec: DemoPrice) -> TrainingPage | None:
    training = _training(association, spec.slug)
    if training is None:
        return None
    page = training.specific
    if page.price or page.member_price is not None:
        return page  # priced already (by an earlier run or an editor)
    page.price, page.member_price = spec.price, spec.member_price
    day = _event_day(page)
    if spec.early_bird and day is not None:
        page.early_bird_price, page.early_bird_member_price = spec.early_bird
        page.early_bird_until = day - datetime.timedelta(days=spec.early_bird_days_before)
    # Through a revision, so the editor opens the page with its prices.
    page.save_revision().publish()
    return page


def _fees(association: Organization) -> None:
    for rules in RequirementSet.objects.filter(association=association):
        if rules.registration_fee or rules.submission_fee or rules.renewal_fee:
            continue
        fees = INITIAL_FEES if rules.kind == "initial" else RENEWAL_FEES
        for name, amount in fees.items():
            setattr(rules, name, amount)
        rules.save(update_fields=[*fees, "updated_at"])


def load_demo_commerce() -> dict:
    """Great Lakes' prices, plan, fees, coupon and bundle. Returns them."""
    association = Organization.objects.filter(slug=ASSOCIATION, site__isnull=False).first()
    if association is None:
        return {}
    priced = [p for p in (_price(association, spec) for spec in PRICES) if p is not None]
    plan, _ = MembershipPlan.objects.get_or_create(
        association=association, name=PLAN["name"], defaults=PLAN
    )
    _fees(association)
    coupon = Coupon.objects.filter(association=association, code__iexact=COUPON["code"]).first()
    if coupon is None:
        coupon = Coupon.objects.create(association=association, **COUPON)
    bundle = Bundle.objects.filter(association=association, title=BUNDLE["title"]).first()
    if bundle is None:
        fields = {k: v for k, v in BUNDLE.items() if k != "trainings"}
        bundle = Bundle.objects.create(association=association, **fields)
        members = [_training(association, slug) for slug in BUNDLE["trainings"]]
        bundle.trainings.set([t for t in members if t is not None])
    return {"priced": priced, "plan": plan, "coupon": coupon, "bundle": bundle}

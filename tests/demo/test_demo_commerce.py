"""The demo's payments, as `make run` shows them: Great Lakes prices a few trainings (member
and non-member, one with an early bird), offers an annual membership at $70, charges the
seeds' endorsement fees, and has a coupon and a bundle; with no Stripe keys (the embedded
default) buying or joining says payments are not set up and charges nothing, and the free
trainings the learner journeys and the demo center use stay free."""

import re

import pytest
from django.test import Client

from commerce.memberships.models import MembershipPlan
from commerce.models import MerchantAccount, Order, OrderStatus
from commerce.offers.models import Bundle, Coupon
from courses.models import Enrollment, TrainingPage
from courses.pricing import is_paid, training_price
from demo.centers import TRAININGS as CENTER_TRAININGS
from demo.commerce import PRICES, load_demo_commerce
from demo.learning import WEBINAR_SLUG
from demo.loader import load_demo
from lms.accounts.models import User
from lms.endorsement.models import RequirementSet
from lms.organizations.models import Organization

pytestmark = pytest.mark.django_db

GREAT_LAKES = {"HTTP_HOST": "great-lakes.localhost:8000"}
LEARNER = "learner@attune.example"
NOT_SET_UP = "has not set up online payments yet"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def signed_in(email) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def page(slug) -> TrainingPage:
    return TrainingPage.objects.get(slug=slug, locale__language_code="en", alias_of=None).specific


@pytest.fixture
def demo(framework):
    load_demo()
    return Organization.objects.get(slug="great-lakes")


def test_great_lakes_prices_plan_fees_coupon_and_bundle(demo):
    webinar = page("screening-social-emotional")
    assert (webinar.price, webinar.member_price) == (6000, 4500)
    assert training_price(training=webinar, member=False) == 6000
    assert training_price(training=webinar, member=True) == 4500
    live = page("reflective-supervision-basics")
    assert (live.price, live.member_price) == (12000, 9000)
    assert (live.early_bird_price, live.early_bird_member_price) == (10000, 7500)
    assert live.early_bird_until < live.starts_at.date()
    # Editors open the pages with their prices: the latest revision holds them.
    assert webinar.get_latest_revision_as_object().price == 6000

    plan = MembershipPlan.objects.get(association=demo)
    assert (plan.name, plan.annual_dues, plan.length_months) == ("Annual membership", 7000, 12)
    assert plan.active and plan.member_prices

    rules = RequirementSet.objects.filter(association=demo)
    assert rules.filter(kind="initial").exists() and rules.filter(kind="renewal").exists()
    for rule_set in rules:
        fees = (rule_set.registration_fee, rule_set.submission_fee, rule_set.renewal_fee)
        assert fees == ((8500, 4000, 0) if rule_set.kind == "initial" else (0, 0, 3000))
    # Prairie charges nothing (PA: no fee).
    prairie = RequirementSet.objects.filter(association__slug="prairie")
    assert not prairie.exclude(registration_fee=0, submission_fee=0, renewal_fee=0).exists()

    coupon = Coupon.objects.get(association=demo)
    assert (coupon.code, coupon.percent_off, coupon.max_uses) == ("WELCOME10", 10, 100)
    bundle = Bundle.objects.get(association=demo)
    assert (bundle.price, bundle.member_price) == (15000, 11500)
    assert {t.slug for t in bundle.trainings.all()} == {
        "reflective-supervision-basics",
        "screening-social-emotional",
    }
    assert bundle.price < sum(t.specific.price for t in bundle.trainings.all())


def test_the_journeys_and_the_centers_trainings_stay_free(demo):
    priced = {spec.slug for spec in PRICES}
    assert WEBINAR_SLUG not in priced  # the ten-second webinar the journeys complete
    for slug in CENTER_TRAININGS:
        assert not is_paid(page(slug)), slug
    free = TrainingPage.objects.filter(locale__language_code="en", alias_of=None, price=0)
    assert free.count() > len(priced)  # most of the catalog is still free


def test_without_stripe_keys_buying_and_joining_say_payments_are_not_set_up(demo):
    """The embedded default: no Stripe account. Prices show; nothing can be charged."""
    assert not MerchantAccount.objects.exists()
    learner = User.objects.get(email=LEARNER)
    client = signed_in(LEARNER)
    webinar = page("screening-social-emotional")

    shown = text(client.get(webinar.url, **GREAT_LAKES))
    assert "$60.00" in shown and NOT_SET_UP in shown
    assert "Buy for" not in shown
    catalog = text(Client().get("/catalog/", **GREAT_LAKES))
    assert "$60.00" in catalog and "$85.00" in catalog

    bought = client.post(f"/payments/trainings/{webinar.pk}/buy/", **GREAT_LAKES, follow=True)
    assert NOT_SET_UP in text(bought)
    assert not Order.objects.exists()
    assert not Enrollment.objects.filter(learner=learner, training=webinar).exists()

    plans = text(client.get("/payments/memberships/great-lakes/", **GREAT_LAKES))
    assert "Annual membership" in plans and "$70.00 for 12 months" in plans
    plan = MembershipPlan.objects.get(association=demo)
    joined = client.post(f"/payments/memberships/plans/{plan.pk}/join/", **GREAT_LAKES, follow=True)
    assert NOT_SET_UP in text(joined)
    # An order may wait for payment; nothing was paid and nobody became a member.
    assert not Order.objects.exclude(status=OrderStatus.PENDING).exists()
    assert not learner.association_memberships.exists()

    # A free training is still enrolled in as before.
    free = page("mandated-reporting-ethics")
    client.post(f"/learning/trainings/{free.pk}/enrollment/", {"action": "enroll"}, **GREAT_LAKES)
    assert Enrollment.objects.filter(learner=learner, training=free).exists()


def test_loading_the_demo_again_keeps_what_an_admin_changed(demo):
    webinar = page("screening-social-emotional")
    webinar.price = 7000
    webinar.save_revision().publish()
    plan = MembershipPlan.objects.get(association=demo)
    plan.annual_dues = 7500
    plan.save()
    before = (
        MembershipPlan.objects.count(),
        Coupon.objects.count(),
        Bundle.objects.count(),
        list(RequirementSet.objects.order_by("pk").values_list("registration_fee", flat=True)),
    )
    load_demo_commerce()
    load_demo()
    after = (
        MembershipPlan.objects.count(),
        Coupon.objects.count(),
        Bundle.objects.count(),
        list(RequirementSet.objects.order_by("pk").values_list("registration_fee", flat=True)),
    )
    assert after == before
    assert page("screening-social-emotional").price == 7000
    assert MembershipPlan.objects.get(pk=plan.pk).annual_dues == 7500

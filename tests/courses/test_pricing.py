"""A training's prices: per audience, early bird, the editor's amount field, and what paid
trainings refuse (free self-enrollment, access codes that do not cover the fee)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import AccessCode, EnrollmentSource
from courses.models.fields import MoneyFormField
from courses.pricing import (
    is_paid,
    price_tag,
    training_currency,
    training_price,
)
from courses.selectors.enrollment import purchase_refusal
from courses.services import enrollment as services
from tests.courses.factories import training
from tests.factories import UserFactory

DAY = datetime.date(2026, 5, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(great_lakes):
    return training(
        great_lakes,
        "Reflective supervision basics",
        kind="webinar",
        price=6000,
        member_price=4500,
        early_bird_price=5000,
        early_bird_until=DAY,
    )


def test_member_and_non_member_pay_their_price(webinar):
    after = DAY + datetime.timedelta(days=1)
    assert training_price(training=webinar, member=False, on=after) == 6000
    assert training_price(training=webinar, member=True, on=after) == 4500
    assert is_paid(webinar)


def test_early_bird_until_its_last_day_and_never_above_the_member_price(webinar):
    assert training_price(training=webinar, member=False, on=DAY) == 5000
    # A member's own price is lower than the early bird: they keep the lowest.
    assert training_price(training=webinar, member=True, on=DAY) == 4500
    webinar.early_bird_member_price = 4000
    assert training_price(training=webinar, member=True, on=DAY) == 4000
    assert training_price(training=webinar, member=True, on=DAY.replace(day=2)) == 4500


def test_a_training_without_a_price_is_free(great_lakes):
    free = training(great_lakes, "Serve and return")
    assert not is_paid(free)
    assert training_price(training=free, member=False) == 0
    assert price_tag(training=free).free


def test_the_price_reads_in_the_readers_language(webinar, great_lakes):
    tag = price_tag(training=webinar, on=DAY)
    assert (tag.price, tag.member_price, tag.early_price) == ("$60.00", "$45.00", "$50.00")
    assert tag.early_member_price == "$45.00"
    from django.utils import translation

    with translation.override("es"):
        tag = price_tag(training=webinar, on=DAY.replace(day=2))
    assert tag.price.replace("\xa0", " ") == "60,00 US$"
    assert not tag.early_price
    great_lakes.currency = "CAD"
    great_lakes.save()
    webinar = type(webinar).objects.get(pk=webinar.pk)  # its association is cached
    assert training_currency(webinar) == "CAD"
    assert "CA$" in price_tag(training=webinar).price


def test_early_bird_prices_need_their_date(great_lakes):
    from django.core.exceptions import ValidationError

    from courses.models import TrainingPage

    page = training(great_lakes, "Dated", price=100)
    page.early_bird_price = 50
    with pytest.raises(ValidationError, match="last day"):
        page.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPage.objects.filter(pk=page.pk).update(early_bird_price=50)


@pytest.mark.parametrize(
    ("typed", "minor"), [("60", 6000), ("60.00", 6000), ("60,5", 6050), (" 1234.5 ", 123450)]
)
def test_the_editor_types_an_amount(typed, minor):
    assert MoneyFormField(currency="USD").clean(typed) == minor


@pytest.mark.parametrize("typed", ["sixty", "60.001", "-5", "1e3x", "NaN", "Infinity", "9" * 12])
def test_the_amount_field_refuses_junk(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        MoneyFormField(currency="USD").clean(typed)


def test_yen_has_no_decimals():
    from django.core.exceptions import ValidationError

    assert MoneyFormField(currency="JPY").clean("6000") == 6000
    with pytest.raises(ValidationError):
        MoneyFormField(currency="JPY").clean("60.5")
    assert MoneyFormField(currency="USD").prepare_value(6050) == "60.50"


def test_a_paid_training_refuses_free_enrollment(webinar):
    with pytest.raises(services.EnrollmentError, match="fee"):
        services.enroll(learner=UserFactory(), training=webinar)


def test_an_access_code_enrolls_in_a_paid_training_only_when_it_covers_the_fee(
    webinar, great_lakes
):
    AccessCode.objects.create(organization=great_lakes, training=webinar, code="SPRING")
    AccessCode.objects.create(
        organization=great_lakes, training=webinar, code="SCHOLAR", covers_fee=True
    )
    learner = UserFactory()
    with pytest.raises(services.EnrollmentError, match="fee"):
        services.enroll_with_code(learner=learner, code="spring")
    enrollment = services.enroll_with_code(learner=learner, code="scholar")
    assert enrollment.source == EnrollmentSource.ACCESS_CODE


def test_a_purchase_enrolls_once(webinar):
    learner = UserFactory()
    first = services.enroll_purchased(learner=learner, training=webinar, order_line_id=7)
    again = services.enroll_purchased(learner=learner, training=webinar, order_line_id=7)
    assert first == again
    assert (first.source, first.order_line_id) == (EnrollmentSource.PURCHASE, 7)


def test_a_purchase_is_honoured_after_the_training_closed(webinar):
    webinar.unpublish()
    enrollment = services.enroll_purchased(learner=UserFactory(), training=webinar, order_line_id=8)
    assert enrollment.status == "active"


def test_the_editor_sets_prices_on_the_price_tab_in_the_associations_currency(client, great_lakes):
    from django.urls import reverse

    from courses.models import CoursePage
    from lms.organizations.models import Role
    from tests.courses.admin_forms import training_form
    from tests.courses.factories import member

    great_lakes.currency = "CAD"
    great_lakes.save()
    client.force_login(member(great_lakes, Role.EDITOR))
    url = reverse("wagtailadmin_pages:add", args=("courses", "coursepage", great_lakes.catalog.pk))
    page = client.get(url)
    assert "Price" in page.content.decode()
    assert page.context["form"].fields["price"].currency == "CAD"
    refused = client.post(url, training_form(price="sixty"))
    assert refused.status_code == 200
    assert "Enter an amount like 60 or 60.00." in refused.content.decode()
    assert not CoursePage.objects.exists()
    saved = client.post(url, training_form(price="60", member_price="45.50"))
    assert saved.status_code == 302
    made = CoursePage.objects.get(alias_of__isnull=True)
    assert (made.price, made.member_price, made.early_bird_price) == (6000, 4550, None)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[made.pk]))
    assert edit.context["form"]["price"].value() in ("60.00", 6000)


def test_a_paid_event_is_not_sold_once_full_or_started(great_lakes):
    event = training(great_lakes, "Attachment live", kind="event", price=3000, capacity=1)
    assert purchase_refusal(training=event) is None
    services.enroll_purchased(learner=UserFactory(), training=event, order_line_id=1)
    assert purchase_refusal(training=event) == "This event is full."
    event.capacity = 2
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.save()
    assert purchase_refusal(training=event) == "This event has already started."
    course = training(great_lakes, "Self-paced basics", price=3000)
    assert purchase_refusal(training=course) is None

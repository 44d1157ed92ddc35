"""Prices on catalog cards and the training's page, in the reader's language; the Spanish
version of a training shows (and charges) the same prices."""

import datetime

import pytest
from django.utils import timezone

from courses.pricing import training_price
from tests.courses.factories import site_path, training
from tests.courses.test_translations import sync_spanish_tree, translate

HOST = {"HTTP_HOST": "great-lakes.localhost"}
pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.fixture
def priced(great_lakes):
    until = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "paid": training(
            great_lakes,
            "Paid webinar",
            kind="webinar",
            price=6000,
            member_price=4500,
            early_bird_price=5000,
            early_bird_until=until,
        ),
        "free": training(great_lakes, "Free course"),
        "until": until,
    }


def test_catalog_cards_show_free_or_the_prices(client, priced):
    page = text(client.get("/catalog/", **HOST))
    assert "Free" in page
    assert "$60.00" in page and "$45.00 for members" in page
    assert "Early bird until" in page and "$50.00" in page


def test_the_training_page_header_shows_its_price(client, priced):
    page = text(client.get(site_path(priced["paid"]), **HOST))
    header = page.split('<header class="training-header">')[1].split("</header>")[0]
    assert "$60.00" in header and "$45.00 for members" in header


def test_spanish_readers_see_the_same_prices_their_way(client, priced):
    sync_spanish_tree()
    translated = translate(priced["paid"], title="Seminario con precio", price=1)
    # Even a translation whose synchronised copy is stale charges the training's prices.
    assert training_price(training=translated, member=False, on=priced["until"]) == 5000
    page = text(client.get(site_path(translated), **HOST))
    assert "60,00 US$" in page and "45,00 US$" in page
    catalog = text(client.get("/es/catalog/", **HOST))
    assert "60,00 US$" in catalog and "45,00 US$" in catalog


def test_a_cross_listed_training_shows_its_own_associations_currency(client, great_lakes, prairie):
    from courses.models import CrossListing

    prairie.currency = "CAD"
    prairie.save()
    theirs = training(prairie, "Prairie webinar", kind="webinar", price=7000)
    CrossListing.objects.create(catalog=great_lakes.catalog, training=theirs)
    training(great_lakes, "Our webinar", kind="webinar", price=6000)
    page = text(client.get("/catalog/", **HOST))
    assert "CA$70.00" in page and "$60.00" in page

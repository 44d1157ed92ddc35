"""The association catalog: filters, search, cross-listing and a fixed number of queries."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses.models import CatalogIndexPage, CoursePage, CrossListing, TrainingAreaHours
from courses.services.authoring import area
from lms.organizations.models import Role
from tests.courses.factories import FacilitatorFactory, approved_facilitator, member, training


@pytest.fixture
def catalog(great_lakes, prairie):
    """Five Great Lakes trainings with distinct facets, a draft and a Prairie training."""
    imani = approved_facilitator(great_lakes, name="Imani Okonkwo")
    made = {
        "attachment": training(
            great_lakes,
            "Attachment across the first year",
            hours={"TF": "1", "REF": "0.5"},
            categories=["IFS"],
            age_band="infant",
            summary="How a secure base grows between infants and their caregivers.",
        ),
        "screening": training(
            great_lakes,
            "Screening for social-emotional delays",
            kind="webinar",
            hours={"DSS": "2"},
            categories=["IMHS"],
            age_band="early_childhood",
            facilitators=[imani],
        ),
        "coaching": training(
            great_lakes,
            "Coaching home visitors",
            kind="event",
            hours={"WWO": "3"},
            categories=["IFS", "IFA"],
            age_band="both",
            delivery_format="in_person",
        ),
        "reporting": training(great_lakes, "Mandated reporting and ethics", hours={"LRP": "0.75"}),
        "draft": training(great_lakes, "Unpublished attachment notes", publish=False),
        "prairie": training(prairie, "Prairie attachment circle", hours={"TF": "2"}),
    }
    return made


def titles(client, org, **params):
    response = client.get(
        org.catalog.url_path.split("/", 2)[2] and "/catalog/", params, HTTP_HOST=org.site.hostname
    )
    assert response.status_code == 200
    return {t.title for t in response.context["trainings"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"attachment", "screening", "coaching", "reporting"}),
        ({"area": "TF"}, {"attachment"}),
        ({"area": "DSS"}, {"screening"}),
        ({"category": "IFS"}, {"attachment", "coaching"}),
        ({"delivery_format": "recorded_webinar"}, {"screening"}),
        ({"delivery_format": "in_person"}, {"coaching"}),
        ({"age_band": "infant"}, {"attachment", "coaching"}),
        ({"age_band": "early_childhood"}, {"screening", "coaching"}),
        ({"min_hours": "2"}, {"screening", "coaching"}),
        ({"max_hours": "1.5"}, {"attachment", "reporting"}),
        ({"min_hours": "1.5", "max_hours": "2"}, {"attachment", "screening"}),
        ({"provider": "great-lakes"}, {"attachment", "screening", "coaching", "reporting"}),
        ({"area": "TF", "category": "IFS", "age_band": "infant"}, {"attachment"}),
        ({"area": "REF", "category": "IMHS"}, set()),
    ],
)
def test_filters_return_exactly_the_expected_trainings(
    client, catalog, great_lakes, params, expected
):
    assert titles(client, great_lakes, **params) == {catalog[key].title for key in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("secure base", {"attachment"}),
        ("coaching", {"coaching"}),
        ("Imani", {"screening"}),  # a facilitator's name
        ("attachment", {"attachment"}),  # not the draft, not Prairie's
        ("mandated ethics", {"reporting"}),
        ("nothing like this", set()),
    ],
)
def test_search_uses_wagtail_search_and_stays_in_the_catalog(
    client, catalog, great_lakes, query, expected
):
    assert titles(client, great_lakes, q=query) == {catalog[key].title for key in expected}


def test_search_combines_with_filters(client, catalog, great_lakes):
    assert titles(client, great_lakes, q="attachment", area="DSS") == set()
    assert titles(client, great_lakes, q="screening", area="DSS") == {catalog["screening"].title}


def test_bad_filters_are_explained_and_the_valid_ones_still_apply(client, catalog, great_lakes):
    params = {"min_hours": "3", "max_hours": "1", "provider": "prairie", "area": "WWO"}
    response = client.get("/catalog/", params, HTTP_HOST=great_lakes.site.hostname)
    html = unescape(response.content.decode())
    assert "“At most” must not be less than “at least”." in html
    assert "Select a valid choice. prairie is not one of the available choices." in html
    assert {t.title for t in response.context["trainings"]} == {catalog["coaching"].title}


def test_cross_listed_training_appears_and_keeps_its_provider(
    client, catalog, great_lakes, prairie
):
    attachment = catalog["attachment"]
    CrossListing.objects.create(catalog=prairie.catalog, training=attachment)
    assert titles(client, prairie) == {catalog["prairie"].title, attachment.title}
    assert titles(client, prairie, provider="great-lakes") == {attachment.title}
    assert titles(client, prairie, area="TF", category="IFS") == {attachment.title}
    html = client.get("/catalog/", HTTP_HOST=prairie.site.hostname).content.decode()
    assert f"http://great-lakes.localhost/catalog/{attachment.slug}/" in html
    assert "Shared from another association" in html
    assert attachment.completion_snapshot().provider_name == great_lakes.name

    attachment.unpublish()
    assert titles(client, prairie) == {catalog["prairie"].title}


def test_editor_cross_lists_published_training_only(client, catalog, great_lakes, prairie):
    client.force_login(member(prairie, Role.ADMIN))
    url = reverse("wagtailadmin_pages:edit", args=(prairie.catalog.pk,))

    def post(training):
        form = nested_form_data(
            {
                "title": "Training catalog",
                "slug": "catalog",
                "intro": rich_text(""),
                "cross_listings": inline_formset([{"training": training.pk}]),
                "comments": inline_formset([]),
            }
        )
        return client.post(url, {**form, "action-publish": "1"})

    assert "Only published training can be cross-listed." in post(catalog["draft"]).content.decode()
    own = post(catalog["prairie"]).content.decode()
    assert "is already in this catalog as your own" in own
    assert not CrossListing.objects.exists()
    assert post(catalog["screening"]).status_code == 302
    assert CatalogIndexPage.objects.get(pk=prairie.catalog.pk).cross_listings.get().training_id == (
        catalog["screening"].pk
    )


def bulk_trainings(org, count, start=0):
    """Many live trainings, built cheaply (no revisions) for counting queries."""
    facilitator = FacilitatorFactory(organization=org)
    tf, ref = area("TF"), area("REF")
    for n in range(start, start + count):
        page = CoursePage(
            title=f"Course {n:03d}",
            slug=f"course-{n:03d}",
            summary="A course.",
            contact_hours=Decimal("1.5"),
            provider=org,
            delivery_format="self_paced",
            first_published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        )
        org.catalog.add_child(instance=page)
        TrainingAreaHours.objects.bulk_create(
            [
                TrainingAreaHours(page=page, area=tf, hours=Decimal(1)),
                TrainingAreaHours(page=page, area=ref, hours=Decimal("0.5")),
            ]
        )
        page.facilitator_links.create(facilitator=facilitator)


def count_queries(client, org, *, cached=False, **params):
    """The queries of one request for the catalog, rendered afresh unless ``cached``."""
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/catalog/", params, HTTP_HOST=org.site.hostname)
    assert response.status_code == 200
    return len(queries), response


def test_catalog_query_count_does_not_grow_with_the_number_of_trainings(
    client, great_lakes, django_assert_max_num_queries
):
    bulk_trainings(great_lakes, 20)
    # The first request also fills Wagtail's caches, the site's brand and languages.
    with django_assert_max_num_queries(22):
        count_queries(client, great_lakes)
    # 20: the page's own 16, plus its languages (the Spanish versions of the listed
    # trainings, the languages each is offered in, the page's hreflang versions).
    with django_assert_max_num_queries(20):
        small, response = count_queries(client, great_lakes)
    assert response.context["paginator"].count == 20

    bulk_trainings(great_lakes, 180, start=20)
    with django_assert_max_num_queries(20):
        large, response = count_queries(client, great_lakes)
    assert response.context["paginator"].count == 200
    assert len(response.context["trainings"].object_list) == 20
    assert large == small

    with django_assert_max_num_queries(23):
        _, response = count_queries(client, great_lakes, area="TF", q="course", page="3")
    assert response.context["trainings"].number == 3


def test_a_rendered_catalog_is_served_from_the_cache_until_it_changes(client, great_lakes):
    bulk_trainings(great_lakes, 3)
    fresh, response = count_queries(client, great_lakes)
    assert response.content.decode().count('class="training-card"') == 3
    cached, response = count_queries(client, great_lakes, cached=True)
    assert cached <= fresh - 5
    assert response.content.decode().count('class="training-card"') == 3
    # Another query is rendered on its own; the same query from the cache again.
    _, response = count_queries(client, great_lakes, cached=True, q="Course 001")
    assert response.content.decode().count('class="training-card"') == 1
    # Publishing a training shows it at once.
    training(great_lakes, "Newly published")
    _, response = count_queries(client, great_lakes, cached=True)
    assert "Newly published" in response.content.decode()
    # So do unpublishing and renaming the provider.
    CoursePage.objects.get(title="Course 000").unpublish()
    great_lakes.name = "Great Lakes Infant Mental Health Association (renamed)"
    great_lakes.save()
    html = count_queries(client, great_lakes, cached=True)[1].content.decode()
    assert "Course 000" not in html and "(renamed)" in html


def test_query_parameters_other_than_the_filters_are_ignored(client, great_lakes):
    bulk_trainings(great_lakes, 25)
    html = count_queries(client, great_lakes, page="2", junk="<b>x</b>")[1].content.decode()
    # The page's own content (the header's language switcher comes back to the very URL).
    html = html.split('<main id="main"', 1)[1]
    assert "junk" not in html and "&lt;b&gt;" not in html
    assert 'class="training-card"' in html

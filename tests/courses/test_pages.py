"""Page types: where each may live, what a training hands to its records, live events."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from courses.models import (
    CatalogIndexPage,
    CoursePage,
    Enrollment,
    HomePage,
    LessonPage,
    LiveEventPage,
    TrainingPage,
    WebinarPage,
)
from courses.services.registration import register_for_event
from lms.organizations.models import AssociationBranding, Role
from tests.courses.admin_forms import training_form
from tests.courses.factories import approved_facilitator, member, site_path, training
from tests.factories import UserFactory

TRAININGS = {CoursePage, WebinarPage, LiveEventPage}


def test_page_hierarchy_rules():
    assert set(HomePage.allowed_subpage_models()) == {CatalogIndexPage}
    assert set(CatalogIndexPage.allowed_parent_page_models()) == {HomePage}
    assert set(CatalogIndexPage.allowed_subpage_models()) == TRAININGS
    for model in TRAININGS:
        assert set(model.allowed_parent_page_models()) == {CatalogIndexPage}
    assert set(CoursePage.allowed_subpage_models()) == {LessonPage}
    assert set(LessonPage.allowed_parent_page_models()) == {CoursePage}
    assert WebinarPage.allowed_subpage_models() == []
    assert LiveEventPage.allowed_subpage_models() == []
    assert LessonPage.allowed_subpage_models() == []
    assert not TrainingPage.is_creatable


def test_one_catalog_per_site_and_no_lesson_outside_a_course(great_lakes):
    home = Page.objects.get(pk=great_lakes.site.root_page_id).specific
    assert not CatalogIndexPage.can_create_at(home)
    assert not LessonPage.can_create_at(great_lakes.catalog)
    assert not CoursePage.can_create_at(home)
    course = training(great_lakes, "Holding the baby in mind")
    assert LessonPage.can_create_at(course)


def test_completion_snapshot_carries_what_a_record_needs(great_lakes):
    dana = approved_facilitator(great_lakes, name="Dana Whitfield", credentials="LMSW, IMH-E")
    page = training(
        great_lakes,
        "Reflective supervision for new supervisors",
        kind="webinar",
        hours={"REF": "2", "DSS": "1.25"},
        facilitators=[dana],
        sub_areas=["REF.PP", "DSS.RS"],
        counts_toward_dei=True,
        about_reflective_supervision=True,
        age_band="both",
        topic="Reflective supervision",
    )
    snapshot = page.completion_snapshot()
    assert snapshot.title == "Reflective supervision for new supervisors"
    assert snapshot.topic == "Reflective supervision"
    assert snapshot.contact_hours == Decimal("3.25")
    assert snapshot.area_hours == {"DSS": Decimal("1.25"), "REF": Decimal("2")}
    assert snapshot.facilitators == (
        {"name": "Dana Whitfield", "credentials": "LMSW, IMH-E", "facilitator_id": dana.pk},
    )
    assert snapshot.provider_name == great_lakes.name
    assert snapshot.provider_organization_id == great_lakes.pk
    assert snapshot.sub_areas == ("DSS.RS", "REF.PP")
    assert snapshot.counts_toward_dei and snapshot.about_reflective_supervision
    assert snapshot.delivery_format == "recorded_webinar"
    assert snapshot.age_band == "both"
    assert snapshot.as_dict()["area_hours"]["REF"] == Decimal("2")


def test_training_page_shows_chart_facilitators_and_credit(client, great_lakes):
    dana = approved_facilitator(great_lakes, name="Dana Whitfield", credentials="LMSW")
    page = training(
        great_lakes,
        "Attachment across the first year",
        hours={"TF": "1.5", "REF": "0.5"},
        facilitators=[dana],
        credit_statement="2 clock hours toward endorsement renewal.",
    )
    html = unescape(client.get(site_path(page), HTTP_HOST="great-lakes.localhost").content.decode())
    assert '<svg class="area-chart-svg" role="img"' in html
    assert "<caption>Hours per competency area</caption>" in html
    assert '<th scope="row">Theoretical Foundations</th><td>1.5</td><td>75.0%</td>' in html
    assert "Dana Whitfield</strong>, LMSW" in html
    assert "2 clock hours toward endorsement renewal." in html


def test_site_branding_colours_the_association_site(client, great_lakes, prairie):
    AssociationBranding.objects.create(
        site=great_lakes.site, brand_colour="#123456", tagline="Every baby, every family"
    )
    html = client.get("/", HTTP_HOST="great-lakes.localhost").content.decode()
    assert "--brand: #123456" in html and "Every baby, every family" in html
    assert "#123456" not in client.get("/", HTTP_HOST="prairie.localhost").content.decode()


def test_only_the_association_admin_edits_its_branding(client, great_lakes, prairie):
    url = reverse(
        "wagtailsettings:edit", args=("organizations", "associationbranding", prairie.site.pk)
    )
    client.force_login(member(great_lakes, Role.ADMIN))
    assert client.get(url).status_code in (302, 403)
    own = reverse(
        "wagtailsettings:edit", args=("organizations", "associationbranding", great_lakes.site.pk)
    )
    assert client.get(own).status_code == 200
    client.force_login(member(great_lakes, Role.EDITOR))
    assert client.get(own).status_code in (302, 403)


@pytest.fixture
def workshop(great_lakes):
    return training(
        great_lakes,
        "Infant mental health in child care settings",
        kind="event",
        delivery_format="in_person",
        hours={"SE": "3"},
        capacity=1,
        venue_summary="Lansing, MI",
        location="Room 204, 100 Main Street, Lansing",
    )


def test_location_is_revealed_only_to_registrants(client, workshop, great_lakes):
    path = site_path(workshop)
    host = {"HTTP_HOST": "great-lakes.localhost"}
    assert "Room 204" not in client.get(path, **host).content.decode()
    learner = UserFactory()
    client.force_login(learner)
    html = client.get(path, **host).content.decode()
    assert "Lansing, MI" in html and "Room 204" not in html
    registration = reverse("learning:registration", args=[workshop.pk])
    response = client.post(registration, {"action": "register"}, **host)
    assert response.status_code == 302 and response["Location"] == workshop.url
    assert "Room 204" in client.get(path, **host).content.decode()
    client.post(registration, {"action": "register"}, **host)  # a second click changes nothing
    assert Enrollment.objects.filter(training=workshop).count() == 1

    client.force_login(member(great_lakes, Role.FACILITATOR))
    assert "Room 204" in client.get(path, **host).content.decode()


def test_a_full_event_puts_the_next_registrant_on_the_waitlist(workshop):
    register_for_event(learner=UserFactory(), event=workshop)
    waiting = register_for_event(learner=UserFactory(), event=workshop)
    assert waiting.status == "waitlisted"
    assert Enrollment.objects.filter(training=workshop, status="active").count() == 1


def test_anonymous_registration_goes_to_sign_in(client, workshop):
    response = client.post(
        reverse("learning:registration", args=[workshop.pk]),
        {"action": "register"},
        HTTP_HOST="great-lakes.localhost",
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrollment.objects.exists()


def test_event_times_are_entered_in_the_events_time_zone(client, great_lakes):
    client.force_login(member(great_lakes, Role.EDITOR))
    url = reverse(
        "wagtailadmin_pages:add", args=("courses", "liveeventpage", great_lakes.catalog.pk)
    )
    form = training_form(
        title="Spring regional gathering",
        slug="spring-gathering",
        provider=great_lakes,
        delivery_format="hybrid",
        starts_at="2026-04-14 09:00",
        ends_at="2026-04-14 12:00",
        time_zone="America/Chicago",
        description=rich_text(""),
    )
    assert client.post(url, form).status_code == 302
    event = LiveEventPage.objects.get(alias_of__isnull=True)  # not its Spanish alias
    assert event.starts_at == datetime.datetime(2026, 4, 14, 14, 0, tzinfo=datetime.UTC)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,))).content.decode()
    assert "2026-04-14 09:00" in edit

    form.update(starts_at="2026-04-14 12:00", ends_at="2026-04-14 09:00")
    html = client.post(reverse("wagtailadmin_pages:edit", args=(event.pk,)), form).content
    assert b"The event must end after it starts." in html


def test_editor_previews_unsaved_changes_with_the_chart(client, great_lakes):
    page = training(great_lakes, "Preview me", sub_areas=["TF.ATL"], categories=["IFS"])
    client.force_login(member(great_lakes, Role.EDITOR))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    form = training_form(
        title="Preview me, revised",
        slug=page.slug,
        facilitators=page.facilitators(),
        provider=great_lakes,
        rows=[("TF", "1"), ("REF", "1")],
    )
    assert client.post(url, form).json() == {"is_valid": True, "is_available": True}
    html = unescape(client.get(url).content.decode())
    assert "Preview me, revised" in html
    assert '<th scope="row">Reflection</th><td>1</td><td>50.0%</td>' in html
    assert CoursePage.objects.get(pk=page.pk).title == "Preview me"


def test_a_new_training_names_its_association_as_provider(client, great_lakes):
    client.force_login(member(great_lakes, Role.EDITOR))
    url = reverse("wagtailadmin_pages:add", args=("courses", "webinarpage", great_lakes.catalog.pk))
    form = client.get(url).context["form"]
    assert form["provider"].value() == great_lakes.pk

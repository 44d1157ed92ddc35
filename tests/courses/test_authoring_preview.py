"""A lesson's preview is served as if on the association's own site, not the admin's host."""

from django.test import RequestFactory
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from lms.organizations.models import Role
from tests.courses.factories import member, training


def admin_request():
    return RequestFactory().get("/admin/", HTTP_HOST="127.0.0.1")


def test_a_new_lessons_preview_is_on_the_associations_host(great_lakes):
    course = training(great_lakes, "Attachment across the first year")
    # As Wagtail's preview of a page being added builds it: placed under its parent, unsaved.
    lesson = LessonPage(title="Serve and return", slug="serve-and-return")
    lesson.depth = course.depth + 1
    lesson.path = lesson._get_path(course.path, lesson.depth, 1)

    headers = lesson._get_dummy_headers(admin_request())

    assert headers["HTTP_HOST"] == "great-lakes.localhost"
    assert headers["PATH_INFO"] == "/catalog/attachment-across-the-first-year/serve-and-return/"


def test_a_draft_lessons_preview_is_on_the_associations_host(great_lakes):
    course = training(great_lakes, "Attachment across the first year")
    lesson = course.add_child(instance=LessonPage(title="Draft", slug="draft", live=False))

    headers = lesson._get_dummy_headers(admin_request())

    assert headers["HTTP_HOST"] == "great-lakes.localhost"


def test_the_preview_of_a_lesson_being_added_renders_on_the_associations_site(client, great_lakes):
    course = training(great_lakes, "Attachment across the first year")
    client.force_login(member(great_lakes, Role.EDITOR))
    preview = reverse(
        "wagtailadmin_pages:preview_on_add", args=("courses", "lessonpage", course.pk)
    )
    data = nested_form_data(
        {"title": "Serve and return", "slug": "serve-and-return", "duration_minutes": "",
         "body": streamfield([("text", rich_text("<p>Notice and respond.</p>"))]),
         "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}}
    )  # fmt: skip
    posted = client.post(preview, data)
    assert posted.json()["is_valid"]

    response = client.get(preview, HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Notice and respond." in page
    assert "http://localhost" not in page and "127.0.0.1" not in page

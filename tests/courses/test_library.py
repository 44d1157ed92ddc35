"""The shared module library: authored once by a faculty institute, embedded by associations."""

from html import unescape

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from courses.models import LessonPage, LibraryModule
from lms.organizations.models import Role
from tests.courses.factories import (
    association,
    institute,
    library_module,
    member,
    site_path,
    training,
)


@pytest.fixture
def riverbend(framework):
    return institute()


def add_lesson(client, course, module, title="Serve and return in practice"):
    url = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))
    form = nested_form_data(
        {
            "title": title,
            "slug": "serve-and-return",
            "duration_minutes": "20",
            "body": streamfield([("module", module.pk)]),
            "comments": inline_formset([]),
        }
    )
    return client.post(url, form)


def test_module_is_reused_by_two_associations_and_its_owner_sees_where(
    client, riverbend, great_lakes, prairie
):
    module = library_module(riverbend, shared_with=[great_lakes, prairie])
    for org in (great_lakes, prairie):
        course = training(org, f"{org.name} course on early relationships")
        client.force_login(member(org, Role.EDITOR))
        assert add_lesson(client, course, module).status_code == 302
        lesson = LessonPage.objects.child_of(course).get()
        lesson.save_revision().publish()
        host = org.site.hostname
        html = client.get(site_path(lesson), HTTP_HOST=host).content
        assert b"Notice, respond, name it, take turns." in html
        assert b"A module from the library of" in html

    client.force_login(member(riverbend, Role.EDITOR))
    edit = client.get(reverse("wagtailsnippets_courses_librarymodule:edit", args=(module.pk,)))
    usage = unescape(edit.content.decode())
    assert "Great Lakes Association course on early relationships" in usage
    assert "Prairie Association course on early relationships" in usage


def test_an_association_the_module_is_not_shared_with_cannot_embed_it(
    client, riverbend, great_lakes
):
    module = library_module(riverbend, shared_with=[])
    hills = association("hills", name="Hills Association")
    course = training(hills, "Hills course")
    client.force_login(member(hills, Role.EDITOR))
    response = add_lesson(client, course, module)
    assert response.status_code == 200
    assert "is not shared with HILLS" in unescape(response.content.decode())
    assert not LessonPage.objects.exists()

    chooser = client.get(reverse("wagtailsnippetchoosers_courses_librarymodule:choose"))
    assert module.title.encode() not in chooser.content
    module.shared_with_all = True
    module.save()
    chooser = client.get(reverse("wagtailsnippetchoosers_courses_librarymodule:choose"))
    assert module.title.encode() in chooser.content


def test_only_the_owner_edits_a_module_and_only_reviewers_publish_it(
    client, riverbend, great_lakes
):
    module = library_module(riverbend, shared_with_all=True)
    client.force_login(member(great_lakes, Role.EDITOR))
    edit = reverse("wagtailsnippets_courses_librarymodule:edit", args=(module.pk,))
    assert client.get(edit).status_code in (302, 403)
    listing = client.get(reverse("wagtailsnippets_courses_librarymodule:list")).content
    assert module.title.encode() not in listing

    author = member(riverbend, Role.EDITOR)
    client.force_login(author)
    form = nested_form_data(
        {
            "title": "Serve and return, revised",
            "summary": module.summary,
            "organization": riverbend.pk,
            "body": streamfield([("text", rich_text("<p>Revised.</p>"))]),
            "shared_with_all": "on",
        }
    )
    assert client.post(edit, {**form, "action-publish": "1"}).status_code in (302, 403)
    assert LibraryModule.objects.get(pk=module.pk).latest_revision_id == module.latest_revision_id
    assert client.post(edit, form).status_code == 302  # a draft
    module.refresh_from_db()
    assert module.title == "Serve and return"
    assert module.latest_revision.content["title"] == "Serve and return, revised"

    client.force_login(member(riverbend, Role.REVIEWER))
    assert client.post(edit, {**form, "action-publish": "1"}).status_code == 302
    assert LibraryModule.objects.get(pk=module.pk).title == "Serve and return, revised"


def test_sharing_offers_associations_as_checkboxes_and_the_listing_says_yes_or_no(
    client, riverbend, great_lakes, prairie
):
    module = library_module(riverbend, shared_with=[great_lakes])
    other_institute = institute("lakeshore")
    client.force_login(member(riverbend, Role.EDITOR))

    edit = client.get(reverse("wagtailsnippets_courses_librarymodule:edit", args=(module.pk,)))
    field = edit.context["form"].fields["shared_with"]
    assert set(field.queryset) == {great_lakes, prairie}
    assert other_institute not in field.queryset and riverbend not in field.queryset
    page = edit.content.decode()
    assert 'type="checkbox" name="shared_with"' in page
    assert '<select name="shared_with"' not in page

    listing = client.get(reverse("wagtailsnippets_courses_librarymodule:list")).content.decode()
    assert ">No<" in " ".join(listing.split()).replace("> ", ">").replace(" <", "<")
    assert "False" not in listing and "True" not in listing


def test_the_admin_menu_leads_institute_authors_to_where_their_modules_are_used(
    client, riverbend, great_lakes
):
    usage = reverse("centers:institute_library", kwargs={"slug": riverbend.slug})
    client.force_login(member(riverbend, Role.EDITOR))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert usage in home and "Where my modules are used" in home
    assert client.get(usage).status_code == 200

    client.force_login(member(great_lakes, Role.EDITOR))
    assert usage not in client.get(reverse("wagtailadmin_home")).content.decode()

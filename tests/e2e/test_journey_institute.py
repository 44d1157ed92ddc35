"""Journey 3, the faculty institute: one module, authored once, taught by two associations.

A faculty member of an institute writes a module in the admin's module library and shares it
with two associations; an editor of each association embeds it in a lesson of one of their
courses; the faculty member sees where it is used; a learner completes one of the courses."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import LessonPage, LibraryModule
from lms.organizations.models import Role
from lms.records.models import TrainingRecord
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, institute, member, training
from tests.e2e.conftest import choose, open_action_menu_item, signed_in_page
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e
JOURNEY = "institute"
MODULE = "Serve and return: everyday moments"
TEXT = "Notice the baby's serve, respond warmly, name it and take turns."


def author_module(page):
    """The faculty member writes the module, shares it with both associations, publishes."""
    page.goto("/admin/snippets/courses/librarymodule/add/")
    page.get_by_role("textbox", name="Title*").fill(MODULE)
    page.get_by_role("textbox", name="Summary").fill("Back-and-forth exchanges build the brain.")
    choose(
        page,
        page.get_by_role("region", name="Organization*"),
        "Choose organization",
        "Riverbend Faculty Institute",
    )
    page.get_by_role("listbox", name="Competency areas").select_option(
        ["Theoretical Foundations", "Direct Service Skills"]
    )
    body = page.get_by_role("region", name="Body", exact=True)
    body.get_by_role("button", name="Insert a block").click()
    body.get_by_role("option", name="Text").click()
    body.get_by_role("textbox").last.fill(TEXT)
    # The rich text editor writes its field a moment after typing stops: saving earlier
    # would store an empty body.
    page.wait_for_function(
        """text => [...document.querySelectorAll("input[type=hidden]")]
            .some(input => input.value.includes(text))""",
        arg="respond warmly",
    )
    for name in ("Great Lakes Association", "Prairie Association"):
        page.get_by_role("checkbox", name=name).check()
    screenshot(page, JOURNEY, "1-module-authored")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"'{MODULE}' created")).to_be_visible()
    open_action_menu_item(page, "Publish")
    expect(page.locator(".messages .success").first).to_contain_text("published")


def embed_module(page, course):
    """An association editor adds a lesson that embeds the module, and publishes it."""
    page.goto(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.get_by_role("textbox", name="Title*").fill("Serve and return in practice")
    body = page.get_by_role("region", name="Body", exact=True)
    body.get_by_role("button", name="Insert a block").click()
    body.get_by_role("option", name="Library module").click()
    choose(page, body, "Choose library module", MODULE)
    open_action_menu_item(page, "Publish")
    expect(page.locator(".messages .success").first).to_contain_text("published")


def test_module_built_once_embedded_by_two_associations_and_completed(
    browser_page, chromium, live_server, transactional_db, settings
):
    # Wagtail autosaves the new module while it is typed; an autosave still on its way when
    # "Save draft" is pressed creates the module a second time. Saving by hand only here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    riverbend = institute()
    faculty = member(riverbend, Role.EDITOR)
    MembershipFactory(organization=riverbend, user=faculty, role=Role.REVIEWER)
    courses = {}
    for slug, name in (("great-lakes", "Great Lakes"), ("prairie", "Prairie")):
        org = association(slug, name=f"{name} Association", port=port)
        course = training(org, f"Early relationships with {name}", hours={"TF": "1"})
        courses[slug] = (org, course)

    page = browser_page
    sign_in(page, faculty.email)
    author_module(page)
    module = LibraryModule.objects.get()
    assert module.live and module.organization == riverbend

    for slug, (org, course) in courses.items():
        editing = signed_in_page(chromium, live_server.url, member(org, Role.ADMIN).email)
        embed_module(editing, course)
        screenshot(editing, JOURNEY, f"2-embedded-by-{slug}")
        editing.context.close()
    # The lessons the editors made (a Spanish locale's aliases follow them, as they should).
    lessons = LessonPage.objects.live().filter(alias_of__isnull=True)
    assert {lesson.get_parent().pk for lesson in lessons} == {c.pk for _, c in courses.values()}

    # The faculty member sees both courses under "Where this module is used".
    page.goto(f"/admin/snippets/courses/librarymodule/edit/{module.pk}/")
    usage = page.get_by_role("region", name="Where this module is used")
    for _, course in courses.values():
        expect(usage).to_contain_text(course.title)
    screenshot(page, JOURNEY, "3-where-the-module-is-used")

    # A learner takes the Great Lakes course: the module is in its lesson.
    org, course = courses["great-lakes"]
    learner = UserFactory()
    site = f"http://great-lakes.localhost:{port}"
    learn = signed_in_page(chromium, site, learner.email)
    learn.goto("/catalog/")
    learn.get_by_role("link", name=course.title).click()
    learn.get_by_role("button", name="Enroll").click()
    expect(learn.get_by_text("You are enrolled in")).to_be_visible()
    outline = learn.get_by_role("region", name="Lessons")
    outline.get_by_role("link", name="Serve and return in practice").click()
    module_section = learn.get_by_role("region", name=MODULE)
    expect(module_section).to_contain_text(TEXT)
    expect(module_section).to_contain_text("A module from the library of")
    screenshot(learn, JOURNEY, "4-learner-reads-the-module")
    learn.get_by_role("button", name="Mark this lesson done").click()
    expect(learn.get_by_text("“Serve and return in practice” is done.")).to_be_visible()
    learn.get_by_role("link", name=course.title).click()
    learn.get_by_role("link", name="open the evaluation").click()
    for group in learn.locator("fieldset.likert").all():
        group.get_by_label("Agree", exact=True).check()
    learn.get_by_label("I completed this training myself.").check()
    learn.get_by_role("button", name="Submit").click()
    expect(learn.get_by_text("Your training record has been issued.")).to_be_visible()
    screenshot(learn, JOURNEY, "5-course-completed")
    learn.context.close()
    record = TrainingRecord.objects.get(learner=learner)
    assert record.title == course.title

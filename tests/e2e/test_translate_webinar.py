"""An association's editor translates a webinar into Spanish in the Wagtail admin with
wagtail-localize's editor and a reviewer publishes it; the Spanish catalog lists it in
Spanish, a learner whose profile says Spanish lands on the Spanish version from the English
address, and another association's editor may not translate it."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import WebinarPage
from lms.accounts.services import set_preferred_language
from lms.organizations.models import Role
from tests.conftest import screenshot, sign_in
from tests.courses.factories import association, member, site_path, training
from tests.e2e.conftest import open_action_menu_item, signed_in_page
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

TITLE = "Reading a baby's cues"
SUMMARY = "What infants tell us before they have words."
SPANISH_TITLE = "Leer las señales del bebé"
SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"
SPANISH_SUMMARY = "Lo que los bebés nos dicen antes de tener palabras."


def translate_segment(page, source_text, translation):
    """In wagtail-localize's editor: the segment showing ``source_text``, translated."""
    segment = page.locator("li", has_text=source_text).filter(
        has=page.get_by_role("button", name="Translate", exact=True)
    )
    segment.last.get_by_role("button", name="Translate", exact=True).click()
    page.locator("textarea").last.fill(translation)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(translation, exact=True).first).to_be_visible()


def test_an_editor_translates_a_webinar_and_spanish_readers_find_it(
    browser_page, live_server, transactional_db, chromium
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    port = urlparse(live_server.url).port
    great_lakes = association("great-lakes", name="Great Lakes Association", port=port)
    prairie = association("prairie", name="Prairie Association", port=port)
    webinar = training(great_lakes, TITLE, kind="webinar", summary=SUMMARY)
    training(great_lakes, "Mandated reporting and ethics")
    editor = member(great_lakes, Role.EDITOR)
    reviewer = member(great_lakes, Role.REVIEWER)
    site = f"http://great-lakes.localhost:{port}"
    english_path = site_path(webinar)

    # The association's editor opens the webinar in the admin and asks for it in Español.
    page = browser_page
    sign_in(page, editor.email)
    page.goto(f"/admin/pages/{webinar.pk}/edit/")
    translate = page.get_by_role("link", name="Translate this page")
    if not translate.is_visible():
        page.locator("header").get_by_role("button", name=re.compile("Actions|More")).first.click()
    translate.click()
    expect(page.get_by_role("heading", name=re.compile("Translate"))).to_be_visible()
    page.get_by_role("checkbox", name="Español").check()
    page.get_by_role("button", name="Submit").click()

    # wagtail-localize's editor: each text segment in English, to translate; then publish.
    expect(page.get_by_role("button", name="Translate", exact=True).first).to_be_visible()
    translate_segment(page, TITLE, SPANISH_TITLE)
    translate_segment(page, SUMMARY, SPANISH_SUMMARY)
    screenshot(page, "translation", "webinar-segments")
    # Editors do not publish (the association's reviewers do): the Spanish version waits.
    expect(page.get_by_role("button", name=re.compile("Publish in"))).to_have_count(0)
    translated = WebinarPage.objects.get(
        translation_key=webinar.translation_key, locale__language_code="es"
    )
    assert not translated.live

    # A reviewer of the association opens the Spanish version and publishes it.
    review = signed_in_page(chromium, live_server.url, reviewer.email)
    review.goto(f"/admin/pages/{translated.pk}/edit/")
    expect(review.get_by_text(SPANISH_SUMMARY)).to_be_visible()
    open_action_menu_item(review, re.compile("Publish in Español"))
    expect(review.get_by_text(re.compile("published", re.IGNORECASE)).first).to_be_visible()
    review.context.close()

    translated.refresh_from_db()
    assert translated.live and translated.alias_of_id is None
    assert (translated.title, translated.summary) == (SPANISH_TITLE, SPANISH_SUMMARY)

    # (a) The Spanish catalog lists it once, in Spanish.
    page.goto(f"{site}/es/catalog/")
    results = page.locator(".training-list")
    expect(results.get_by_role("link", name=SPANISH_TITLE)).to_have_count(1)
    expect(results.get_by_text(SPANISH_SUMMARY)).to_be_visible()
    expect(results.get_by_role("link", name=TITLE)).to_have_count(0)
    screenshot(page, "translation", "spanish-catalog")

    # (b) A learner whose profile says Spanish opens the ENGLISH address of the webinar and
    # lands on the Spanish version.
    learner = UserFactory()
    set_preferred_language(user=learner, language="es")
    reader = signed_in_page(chromium, live_server.url, learner.email, site=site)
    reader.goto(f"{site}{english_path}")
    expect(reader).to_have_url(f"{site}{site_path(translated)}")
    assert urlparse(reader.url).path.startswith("/es/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(SPANISH_TITLE)
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    screenshot(reader, "translation", "learner-lands-in-spanish")
    reader.context.close()

    # (c) Another association's editor, who may translate their own pages, may not start a
    # translation of this one, nor open it in the admin.
    outsider = member(prairie, Role.EDITOR)
    assert get_user_model().objects.get(pk=outsider.pk).has_perm(SUBMIT_TRANSLATION)
    other = signed_in_page(chromium, live_server.url, outsider.email)
    other.goto(f"/admin/localize/submit/page/{webinar.pk}/")
    # Wagtail's admin answers a refusal with its dashboard and a message.
    expect(other).to_have_url(f"{live_server.url}/admin/")
    expect(other.get_by_text(re.compile("do not have permission"))).to_be_visible()
    other.goto(f"/admin/pages/{webinar.pk}/edit/")
    expect(other.get_by_role("link", name="Translate this page")).to_have_count(0)
    other.context.close()
    assert WebinarPage.objects.filter(translation_key=webinar.translation_key).count() == 2

"""The language a request is answered in (URL, profile, browser cookie, Accept-Language,
the site's default: only what the site offers), public pages' versions per language and
the header's switcher."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Locale

from lms.accounts.models import LearnerProfile
from lms.organizations.models import AssociationBranding, Role
from tests.courses.factories import member, site_path, training
from tests.factories import UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def wagtail_i18n(settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES


def host(org) -> str:
    return org.site.hostname


def offer(org, languages, default="en"):
    branding = AssociationBranding.for_site(org.site)
    branding.languages = languages
    branding.default_language = default
    branding.save()


def spanish_version(page, title):
    """``page`` translated into Spanish and published (its parents become aliases)."""
    spanish, _created = Locale.objects.get_or_create(language_code="es")
    translated = page.copy_for_translation(spanish, copy_parents=True)
    translated.title = title
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def language_of(response) -> str:
    return response.headers["Content-Language"]


def get(client, org, path, **headers):
    return client.get(path, HTTP_HOST=host(org), **headers)


# ---- The order: URL > profile > cookie > Accept-Language > the site's default ---------------


def test_a_page_without_a_preference_is_in_the_sites_default(client, great_lakes):
    assert language_of(get(client, great_lakes, "/accounts/login/")) == "en"
    offer(great_lakes, ["en", "es"], default="es")
    assert language_of(get(client, great_lakes, "/accounts/login/")) == "es"


def test_accept_language_is_the_first_guess(client, great_lakes):
    response = get(client, great_lakes, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="es-MX,en;q=0.5")
    assert language_of(response) == "es"
    assert "Accept-Language" in response.headers["Vary"]
    assert "Cookie" in response.headers["Vary"]
    # The first language of the list the site offers.
    response = get(client, great_lakes, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr, es;q=0.8")
    assert language_of(response) == "es"


def test_the_browsers_choice_comes_before_accept_language(client, great_lakes):
    client.cookies[COOKIE] = "en"
    response = get(client, great_lakes, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert language_of(response) == "en"


def test_the_profile_comes_before_the_browsers_choice(client, great_lakes):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="es")
    client.force_login(user)
    client.cookies[COOKIE] = "en"
    response = get(client, great_lakes, reverse("learning:mine"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert language_of(response) == "es"
    assert '<html lang="es"' in response.content.decode()


def test_a_profile_without_a_language_leaves_the_choice_to_the_browser(client, great_lakes):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="")
    client.force_login(user)
    client.cookies[COOKIE] = "es"
    assert language_of(get(client, great_lakes, reverse("learning:mine"))) == "es"


def test_the_url_comes_before_everything(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish = spanish_version(course, "Servir y devolver")
    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="en")
    client.force_login(user)
    client.cookies[COOKIE] = "en"
    response = get(client, great_lakes, site_path(spanish), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert language_of(response) == "es"
    assert "Servir y devolver" in response.content.decode()
    # The URL alone says the language: the response does not vary with the browser's.
    assert "Accept-Language" not in response.headers.get("Vary", "")


# ---- Only what the site offers --------------------------------------------------------------


def test_a_language_the_site_does_not_offer_falls_back_to_its_default(client, great_lakes):
    offer(great_lakes, ["en"])
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "es"}, {}):
        client.cookies[COOKIE] = "es" if not headers else ""
        assert language_of(get(client, great_lakes, "/accounts/login/", **headers)) == "en"
    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="es")
    client.force_login(user)
    assert language_of(get(client, great_lakes, reverse("learning:mine"))) == "en"


def test_a_spanish_only_site_answers_in_spanish_whatever_the_browser_asks(client, great_lakes):
    offer(great_lakes, ["es"], default="es")
    response = get(client, great_lakes, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(response) == "es"


def test_a_prefix_the_site_does_not_offer_leads_to_the_page_without_it(client, great_lakes):
    offer(great_lakes, ["en"])
    response = get(client, great_lakes, "/es/catalog/?area=TF")
    assert response.status_code == 302
    assert response["Location"] == "/catalog/?area=TF"
    # The default language has no prefix: /en/... is the page without one.
    response = get(client, great_lakes, "/en/catalog/")
    assert response.status_code == 302
    assert response["Location"] == "/catalog/"


def test_the_default_must_be_offered(great_lakes):
    branding = AssociationBranding.for_site(great_lakes.site)
    branding.languages = ["en"]
    branding.default_language = "es"
    with pytest.raises(ValidationError) as caught:
        branding.full_clean()
    assert "default_language" in caught.value.message_dict
    branding.languages = []
    with pytest.raises(ValidationError) as caught:
        branding.full_clean()
    assert "languages" in caught.value.message_dict


def test_a_site_offers_every_language_until_its_association_says_otherwise(great_lakes):
    branding = AssociationBranding.for_site(great_lakes.site)
    assert branding.languages == ["en", "es"]
    assert branding.default_language == "en"


def test_the_association_chooses_its_languages_in_the_branding_admin(client, great_lakes):
    client.force_login(member(great_lakes, Role.ADMIN))
    url = reverse(
        "wagtailsettings:edit",
        args=("organizations", "associationbranding", great_lakes.site.pk),
    )
    form = {
        "short_name": "GLAIMH",
        "logo": "",
        "tagline": "",
        "brand_colour": "#1f4e79",
        "accent_colour": "#b5532a",
    }
    page = client.get(url).content.decode()
    assert 'name="languages"' in page and "Español" in page
    response = client.post(url, {**form, "languages": ["en"], "default_language": "es"})
    assert response.status_code == 200
    assert "The default language must be one the site offers." in response.content.decode()
    assert not AssociationBranding.objects.filter(site=great_lakes.site).exists()
    response = client.post(url, {**form, "languages": ["en"], "default_language": "en"})
    assert response.status_code == 302
    branding = AssociationBranding.objects.get(site=great_lakes.site)
    assert (branding.languages, branding.default_language) == (["en"], "en")
    assert language_of(get(client, great_lakes, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")) == (
        "en"
    )


# ---- Public pages: one URL per language --------------------------------------------------------


def test_public_pages_keep_their_urls_in_the_default_language(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish = spanish_version(course, "Servir y devolver")
    assert site_path(course) == "/catalog/serve-and-return/"
    assert site_path(spanish) == "/es/catalog/serve-and-return/"
    response = get(client, great_lakes, site_path(course))
    assert response.status_code == 200
    assert language_of(response) == "en"


@pytest.mark.parametrize(
    "preference",
    [{"cookie": "es"}, {"HTTP_ACCEPT_LANGUAGE": "es"}, {"profile": "es"}],
    ids=["cookie", "accept-language", "profile"],
)
def test_a_visitor_who_prefers_spanish_is_sent_to_the_spanish_version(
    client, great_lakes, preference
):
    course = training(great_lakes, "Serve and return")
    spanish = spanish_version(course, "Servir y devolver")
    preference = dict(preference)
    if "cookie" in preference:
        client.cookies[COOKIE] = preference.pop("cookie")
    if "profile" in preference:
        user = UserFactory()
        LearnerProfile.objects.create(user=user, language=preference.pop("profile"))
        client.force_login(user)
    response = get(client, great_lakes, site_path(course) + "?from=mail", **preference)
    assert response.status_code == 302
    assert response["Location"] == site_path(spanish) + "?from=mail"
    followed = get(client, great_lakes, response["Location"], **preference)
    assert followed.status_code == 200
    assert "Servir y devolver" in followed.content.decode()


def test_without_a_preference_a_page_is_in_its_urls_language(client, great_lakes):
    """Crawlers ask for no language: each URL answers in its own."""
    course = training(great_lakes, "Serve and return")
    spanish_version(course, "Servir y devolver")
    response = get(client, great_lakes, site_path(course))
    assert response.status_code == 200
    assert "Serve and return" in response.content.decode()


def test_a_page_without_a_spanish_version_stays_where_it_is(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    client.cookies[COOKIE] = "es"
    response = get(client, great_lakes, site_path(course))
    assert response.status_code == 200
    assert "Serve and return" in response.content.decode()


def test_a_draft_translation_is_not_where_anyone_is_sent(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish = spanish_version(course, "Servir y devolver")
    spanish.unpublish()
    client.cookies[COOKIE] = "es"
    assert get(client, great_lakes, site_path(course)).status_code == 200


def test_public_pages_name_their_versions_in_each_language(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish_version(course, "Servir y devolver")
    base = f"http://{host(great_lakes)}"
    for path in ("/catalog/serve-and-return/", "/es/catalog/serve-and-return/"):
        html = get(client, great_lakes, path).content.decode()
        for language, prefix in (("en", ""), ("es", "/es")):
            link = f'hreflang="{language}" href="{base}{prefix}/catalog/serve-and-return/"'
            assert f'<link rel="alternate" {link}>' in html


def test_the_versions_are_read_once_and_renewed_when_a_translation_is_published(
    client, great_lakes, django_assert_num_queries
):
    from lms.organizations.languages import page_versions

    course = training(great_lakes, "Serve and return")
    request = RequestFactory().get("/", HTTP_HOST=host(great_lakes))
    assert page_versions(request, course) == []  # one language: nothing to name
    with django_assert_num_queries(0):
        page_versions(request, course)
    spanish_version(course, "Servir y devolver")
    assert sorted(language for language, _url in page_versions(request, course)) == ["en", "es"]
    html = get(client, great_lakes, site_path(course)).content.decode()
    assert 'hreflang="es"' in html


def test_a_page_in_one_language_names_no_alternates(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    assert 'hreflang="' not in get(client, great_lakes, site_path(course)).content.decode()


def test_a_site_that_does_not_offer_spanish_names_no_spanish_version(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish_version(course, "Servir y devolver")
    offer(great_lakes, ["en"])
    html = get(client, great_lakes, site_path(course)).content.decode()
    assert 'hreflang="' not in html


# ---- The switcher ------------------------------------------------------------------------------


def switch(client, org, language, next_url):
    return client.post(
        reverse("switch_language"), {"language": language, "next": next_url}, HTTP_HOST=host(org)
    )


def test_the_header_offers_the_other_languages_each_in_its_own_name(client, great_lakes):
    html = get(client, great_lakes, "/catalog/").content.decode()
    assert 'action="/language/"' in html
    assert 'lang="es" class="language-switcher__choice">Español</button>' in html
    assert 'class="visually-hidden">Language</legend>' in html
    html = get(client, great_lakes, "/es/catalog/").content.decode()
    assert 'lang="en" class="language-switcher__choice">English</button>' in html
    assert 'class="visually-hidden">Idioma</legend>' in html or "Language</legend>" in html


def test_a_site_with_one_language_shows_no_switcher(client, great_lakes):
    offer(great_lakes, ["en"])
    assert "language-switcher" not in get(client, great_lakes, "/catalog/").content.decode()


def test_switching_keeps_the_choice_in_the_browser_and_opens_the_page_in_it(client, great_lakes):
    course = training(great_lakes, "Serve and return")
    spanish = spanish_version(course, "Servir y devolver")
    response = switch(client, great_lakes, "es", site_path(course) + "?tab=hours")
    assert response.status_code == 302
    assert response["Location"] == site_path(spanish) + "?tab=hours"
    assert response.cookies[COOKIE].value == "es"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    # And back: the English page, and the cookie says so.
    response = switch(client, great_lakes, "en", site_path(spanish))
    assert response["Location"] == site_path(course)
    assert response.cookies[COOKIE].value == "en"
    assert get(client, great_lakes, site_path(course)).status_code == 200


def test_switching_while_signed_in_keeps_the_choice_in_the_profile(client, great_lakes):
    user = UserFactory()
    client.force_login(user)
    response = switch(client, great_lakes, "es", reverse("learning:mine"))
    assert response["Location"] == reverse("learning:mine")
    assert LearnerProfile.objects.get(user=user).language == "es"
    assert language_of(get(client, great_lakes, reverse("learning:mine"))) == "es"
    # A new browser (no cookie) still gets Spanish: the profile remembers.
    client.cookies.clear()
    client.force_login(user)
    assert language_of(get(client, great_lakes, reverse("learning:mine"))) == "es"


def test_switching_never_leads_off_the_site(client, great_lakes):
    response = switch(client, great_lakes, "es", "https://evil.example/phish")
    assert response["Location"] == "/"


def test_a_language_the_site_does_not_offer_is_not_kept(client, great_lakes):
    offer(great_lakes, ["en"])
    user = UserFactory()
    client.force_login(user)
    response = switch(client, great_lakes, "es", "/catalog/")
    assert response["Location"] == "/catalog/"
    assert COOKIE not in response.cookies
    assert not LearnerProfile.objects.filter(user=user, language="es").exists()


def test_the_switcher_only_answers_a_post_with_a_csrf_token(great_lakes):
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    assert checked.get(reverse("switch_language"), HTTP_HOST=host(great_lakes)).status_code == 405
    response = checked.post(
        reverse("switch_language"), {"language": "es", "next": "/"}, HTTP_HOST=host(great_lakes)
    )
    assert response.status_code == 403


def test_a_json_request_is_answered_without_reading_the_profile(
    great_lakes, django_assert_num_queries
):
    from lms.organizations.languages import chosen_language, site_languages

    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="es")
    request = RequestFactory().post(
        "/learning/heartbeat/",
        data="{}",
        content_type="application/json",
        HTTP_HOST=host(great_lakes),
    )
    request.user = user
    languages = site_languages(request)
    with django_assert_num_queries(0):
        assert chosen_language(request, languages).language == "en"
    request.COOKIES[COOKIE] = "es"
    assert chosen_language(request, languages).language == "es"

"""The language of each request (in Django's LocaleMiddleware's place, after authentication,
so a signed-in person's profile counts): see ``languages`` for the order."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import (
    chosen_language,
    live_translation,
    page_at,
    public_page_path,
    site_languages,
    unprefixed,
    url_language,
)

SAFE_METHODS = ("GET", "HEAD")
# Machine-facing paths answer in the default language and never look up the site's brand:
# the versioned API (its schema and errors are read by associations' systems) and health.
MACHINE_PATHS = ("/api/", "/healthz")


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.choose(request)
        if response is None:
            response = self.get_response(request)
        if not getattr(request, "_attune_language_from_url", False):
            # The same URL answers in the language the visitor chose.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def choose(self, request):
        """Activate the request's language; a redirect to the page in the right language,
        or None to go on."""
        path = request.path_info
        if path.startswith(MACHINE_PATHS):
            self.activate(request, settings.LANGUAGE_CODE)
            return None
        languages = site_languages(request)
        urlconf = getattr(request, "urlconf", None)
        prefix = url_language(path)
        if prefix and (prefix == settings.LANGUAGE_CODE or prefix not in languages.offered):
            # /en/about/ (the default language has no prefix) or a language the site does
            # not offer: the unprefixed page, in the visitor's language.
            if request.method in SAFE_METHODS and public_page_path(
                unprefixed(path, prefix), urlconf=urlconf
            ):
                script_prefix = request.path[: len(request.path) - len(path)]
                return self.redirect(request, script_prefix + unprefixed(path, prefix))
            prefix = None
        if prefix:
            request._attune_language_from_url = True
            self.activate(request, prefix)
            return None
        choice = chosen_language(request, languages)
        page_path = public_page_path(path, urlconf=urlconf)
        if page_path is None:
            self.activate(request, choice.language)
            return None
        # A public page without a prefix is in the default language (the site's, should it
        # not offer Attune's); a visitor who asked for another goes to the page in it.
        language = languages.restrict(settings.LANGUAGE_CODE)
        self.activate(request, language)
        if choice.asked and choice.language != language and request.method in SAFE_METHODS:
            page = page_at(request, page_path, language)
            translated = live_translation(page, choice.language) if page is not None else None
            if translated is not None and translated.pk != page.pk:
                return self.redirect(request, translated.get_url(request=request))
        return None

    @staticmethod
    def activate(request, language: str) -> None:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def redirect(request, url: str):
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(f"{url}?{query}" if query else url)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

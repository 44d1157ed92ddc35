"""Which language a request is answered in, and where a page is in another language.

Each association's site offers some of ``settings.LANGUAGES`` and has a default (its
branding, read through the cached brand: no query). A request's language is, in order:

1. the language prefix of a public page's URL (``/es/...``: links keep their language);
2. the signed-in person's profile preference;
3. the browser's earlier choice (Django's language cookie, set by the switcher);
4. the browser's ``Accept-Language`` (a first guess);
5. the site's default,

always one the site offers: a choice it does not offer gives the site's default.

Public pages are Wagtail's, under ``i18n_patterns`` without a prefix for the default
language: ``/about/`` is English and ``/es/about/`` Spanish. Their URL says their language;
a visitor who chose another one (2–4) is sent to the page's version in it when one is live.
Every other page (learning, records, portfolio, account) keeps one URL in every language.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.models import Locale, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.accounts.selectors import preferred_language
from lms.cache_generations import Generation

from .branding import brand_for_request

WAGTAIL_SERVE = "wagtail_serve"


@dataclass(frozen=True)
class SiteLanguages:
    offered: tuple[str, ...]
    default: str

    def restrict(self, language: str) -> str:
        return language if language in self.offered else self.default

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, the language's name in itself), in the order of ``settings.LANGUAGES``."""
        return [(code, name) for code, name in settings.LANGUAGES if code in self.offered]


def site_languages(request) -> SiteLanguages:
    brand = brand_for_request(request)
    return SiteLanguages(offered=tuple(brand.languages), default=brand.default_language)


@dataclass(frozen=True)
class Choice:
    language: str
    # Did the visitor ask for it (profile, cookie, browser), or is it the site's default?
    asked: bool


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _profile_language(request) -> str:
    """The signed-in person's preference. A JSON request (a player's heartbeat, a script's
    call) is not a page: it is not worth loading the session and the user for."""
    if request.content_type == "application/json":
        return ""
    return preferred_language(user=getattr(request, "user", None))


def chosen_language(request, languages: SiteLanguages) -> Choice:
    """The visitor's language, leaving the URL aside (steps 2 to 5 above)."""
    for asked in (
        _profile_language(request),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
    ):
        if asked:
            return Choice(languages.restrict(_supported(asked) or ""), asked=True)
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if accepted == "*":
            break
        language = _supported(accepted)
        if language in languages.offered:
            return Choice(language, asked=True)
    return Choice(languages.default, asked=False)


def url_language(path: str) -> str | None:
    """The language prefix of ``path`` ("es" for ``/es/about/``), if any."""
    return translation.get_language_from_path(path)


def unprefixed(path: str, language: str) -> str:
    """``/es/about/`` without its prefix: ``/about/``."""
    return "/" + path[len(language) + 2 :]


def public_page_path(path: str, *, urlconf=None) -> str | None:
    """The page path Wagtail serves for ``path`` (a URL path in the language its prefix
    names, or in the default language without one), or None for Attune's other pages."""
    with translation.override(url_language(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return None
    if match.url_name != WAGTAIL_SERVE:
        return None
    return match.args[0] if match.args else match.kwargs.get("path", "")


def live_translation(page, language: str):
    """The live version of ``page`` in ``language`` (a translation or an alias), if any."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    if page.locale.language_code == language:
        return page
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    translated = page.get_translation_or_none(locale)
    return translated if translated is not None and translated.live else None


# A page's live versions per language, kept in the shared cache per site and page (no query
# on a public page once shown): any publish, unpublish, move or deletion of a page makes
# every entry stale; at most ten minutes otherwise.
VERSIONS = Generation("page-versions")
VERSIONS_SECONDS = 600
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(VERSIONS.advance, dispatch_uid=f"page_versions_{id(_signal)}")


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        VERSIONS.advance()


post_delete.connect(_page_deleted, dispatch_uid="page_versions_deleted")


def page_versions(request, page) -> list[tuple[str, str]]:
    """(language, full URL) of each live version of ``page`` (itself included) in the
    languages the request's site offers; empty unless Wagtail's locales are on."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return []
    key = f"attune:page-versions:{VERSIONS.current()}:{request.get_host()}:{page.translation_key}"
    versions = cache.get(key)
    if versions is None:
        pages = list(page.get_translations(inclusive=True).live().select_related("locale"))
        # A page in one language names no versions: its URL is not worth working out.
        versions = (
            [
                (version.locale.language_code, version.get_full_url(request=request))
                for version in pages
            ]
            if len(pages) > 1
            else []
        )
        cache.set(key, versions, VERSIONS_SECONDS)
    offered = site_languages(request).offered
    return [(language, url) for language, url in versions if language in offered]


def page_at(request, path: str, language: str):
    """The page a request for ``path`` (Wagtail's part of the URL) in ``language`` shows."""
    with translation.override(language):
        return Page.find_for_request(request, path)


def url_in_language(request, url: str, language: str) -> str:
    """``url`` (a local URL) as the same page in ``language``: a public page's live version
    in it (else the page as it is); any other page keeps its URL."""
    parts = urlsplit(url)
    path_language = url_language(parts.path) or settings.LANGUAGE_CODE
    page_path = public_page_path(parts.path, urlconf=getattr(request, "urlconf", None))
    if page_path is None:
        with translation.override(path_language):
            return translate_url(url, language)
    page = page_at(request, page_path, path_language)
    translated = live_translation(page, language) if page is not None else None
    if translated is None or translated.pk == page.pk:
        return url
    target = urlsplit(translated.get_url(request=request))
    return urlunsplit(("", "", target.path, parts.query, parts.fragment))

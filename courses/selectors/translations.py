"""One training, many languages: which page is THE training, and which languages present it.

A Spanish translation or alias of a page is a presentation of the same training. A learner's
work (enrollment, progress, completion, records) keys on the canonical page: the source page
(an alias's ``alias_of``; for a translation, the page its translations were made from, which
wagtail-localize's ``TranslationSource`` names, else the default language's, else the oldest).
"""

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

_DEFAULT_LOCALE: dict[str, int] = {}


def default_locale_id() -> int:
    """The default language's locale id, read once per process (pages ask on every request;
    courses.signals forgets it when a locale is saved or deleted)."""
    if "id" not in _DEFAULT_LOCALE:
        _DEFAULT_LOCALE["id"] = Locale.get_default().pk
    return _DEFAULT_LOCALE["id"]


def forget_default_locale(**kwargs) -> None:
    _DEFAULT_LOCALE.clear()


def canonical_page(page: Page) -> Page:
    """The page that IS the training (or lesson) ``page`` presents, as its specific type.
    No query for a page that is its own source in the default language."""
    if page.alias_of_id is None and page.locale_id == default_locale_id():
        return page
    known = page.__dict__.get("_attune_canonical")
    if known is None:
        known = page.__dict__["_attune_canonical"] = _source_of(page)
    return known


def _source_of(page: Page) -> Page:
    # Aliases and translations are of their source's type: one query for a specific page.
    model = type(page)
    if page.alias_of_id is not None:
        source = model.objects.filter(pk=page.alias_of_id).first()
        if source is None:
            return page
        return canonical_page(source.specific if model is Page else source)
    source_locales = TranslationSource.objects.filter(object_id=page.translation_key).values(
        "locale_id"
    )
    candidates = (
        model.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
        .annotate(
            rank=Case(
                When(Q(locale_id__in=source_locales), then=Value(0)),
                When(locale_id=default_locale_id(), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "pk")
    )
    source = candidates.first()
    if source is not None and model is Page:
        source = source.specific
    if source is None or source.pk == page.pk:
        return page
    return source


def canonical_only(pages: QuerySet) -> QuerySet:
    """``pages`` less aliases and translations: each training (or lesson) once, as its source
    (a page written first in another language than the default counts as its own source)."""
    in_default = Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale_id=default_locale_id(),
        alias_of__isnull=True,
    )
    return pages.filter(alias_of__isnull=True).filter(
        Q(locale_id=default_locale_id()) | ~Exists(in_default)
    )


def published_as_itself() -> Q:
    """A live page whose live version is its own revision: a translation an editor
    published, not an alias (or an alias just converted, still showing the source's)."""
    return Q(live_revision__object_id=Cast("pk", output_field=CharField()))


def language_versions(*, model, translation_keys, language: str) -> tuple[dict, dict]:
    """For pages of ``model`` with these translation keys, in one query: key -> the language
    codes of its live pages that are not aliases (the languages it is offered in), and
    key -> its live page (not an alias) in ``language``."""
    offered: dict = {}
    versions: dict = {}
    pages = (
        model.objects.live()
        .filter(translation_key__in=list(translation_keys), alias_of__isnull=True)
        .filter(published_as_itself() | Q(locale_id=default_locale_id()))
        .annotate(language=F("locale__language_code"))
        .order_by("language", "pk")
    )
    for page in pages:
        offered.setdefault(page.translation_key, []).append(page.language)
        if page.language == language:
            versions.setdefault(page.translation_key, page)
    return offered, versions


def offered_in(pages: QuerySet, *, language: str) -> QuerySet:
    """``pages`` (canonical) that a learner can take in ``language``: written in it, or with
    a live translation (not an alias) in it."""
    translated = (
        Page.objects.live()
        .filter(
            translation_key=OuterRef("translation_key"),
            locale__language_code=language,
            alias_of__isnull=True,
        )
        .filter(published_as_itself())
    )
    return pages.filter(Q(locale__language_code=language) | Exists(translated))


def presented(page: Page, *, like: Page) -> Page:
    """The version of ``page`` (canonical) in the locale of ``like`` (a served page), live,
    alias or translation; ``page`` itself when there is none or they share a locale."""
    if like is None or page.locale_id == like.locale_id:
        return page
    version = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale_id=like.locale_id)
        .first()
    )
    return version or page

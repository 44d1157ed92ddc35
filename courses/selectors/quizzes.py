"""Post-tests and evaluation surveys in the learner's language.

Editors translate a post-test or a survey with wagtail-localize; a translation is a
presentation of its source, never a second post-test. The learner reads the words of their
language, and every fact (attempts, scores, the pass mark, the answer key, evaluation
responses) belongs to the source: the canonical post-test or survey, the first made of its
translations (wagtail-localize copies a source to make each translation, so the source is
always the oldest)."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language
from wagtail.models import Locale, TranslatableMixin


def canonical_only(queryset: QuerySet) -> QuerySet:
    """Only the sources among ``queryset`` (post-tests or surveys): translations left out."""
    older = queryset.model._default_manager.filter(
        translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk")
    )
    return queryset.filter(~Exists(older))


def canonical(obj: TranslatableMixin | None):
    """The source of ``obj``'s translations: ``obj`` itself when it is the source, or is not
    saved yet (the standard evaluation before anyone answered it)."""
    if obj is None or obj.pk is None:
        return obj
    source = (
        type(obj)
        ._default_manager.filter(translation_key=obj.translation_key)
        .order_by("pk")
        .first()
    )
    return source or obj


def in_language(obj: TranslatableMixin | None, *, language: str | None = None):
    """``obj``'s translation in ``language`` (the active language by default) when one exists,
    else ``obj``: what a learner reads. Never grade or store answers against it."""
    if obj is None or obj.pk is None:
        return obj
    try:
        locale = Locale.objects.get_for_language(language or get_language())
    except (Locale.DoesNotExist, LookupError):
        return obj
    if locale.pk == obj.locale_id:
        return obj
    return obj.get_translation_or_none(locale) or obj

"""The demo in Spanish: every page is in the Spanish tree (aliases of the English pages), and
one webinar is translated, segment by segment, as an editor does it in wagtail-localize's
editor, so the Spanish catalog lists it in Spanish and says it is offered in Español.

Idempotent: a second run finds the translation and changes nothing.
"""

from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.synctree import synchronize_tree

from courses.models import WebinarPage

WEBINAR_SLUG = "screening-social-emotional"
# The English text of each translated field, and its Spanish.
SPANISH = {
    "title": (
        "Screening for social-emotional concerns in toddlers",
        "Detección de inquietudes socioemocionales en niños pequeños",
    ),
    "summary": (
        "Choosing and using validated screening tools, talking with parents about results, and "
        "knowing when to refer.",
        "Cómo elegir y usar herramientas de detección validadas, hablar con las familias sobre "
        "los resultados y saber cuándo derivar.",
    ),
    "slug": (WEBINAR_SLUG, "deteccion-socioemocional"),
}


@transaction.atomic
def load_demo_translations() -> WebinarPage | None:
    english = Locale.objects.get(language_code="en")
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    synchronize_tree(english, spanish)
    webinar = WebinarPage.objects.filter(slug=WEBINAR_SLUG, locale=english).first()
    if webinar is None:
        return None
    existing = webinar.get_translation_or_none(spanish)
    if existing is not None and existing.alias_of_id is None and existing.live:
        return existing
    source, _ = TranslationSource.get_or_create_from_instance(webinar)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=spanish)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        field = segment.context.path.split(".")[0]
        english_text, spanish_text = SPANISH.get(field, (None, None))
        if spanish_text is None or segment.string.data != english_text:
            continue  # the rest reads in English until an editor translates it
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=spanish,
            context=segment.context,
            defaults={"data": spanish_text, "translation_type": "manual"},
        )
    translation.save_target(publish=True)
    return webinar.get_translation(spanish)

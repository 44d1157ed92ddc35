"""The demo in Spanish: every page is in the Spanish tree (aliases of the English pages), and
one webinar is translated, segment by segment, as an editor does it in wagtail-localize's
editor, so the Spanish catalog lists it in Spanish and says it is offered in Español.

The short playable webinar (``demo.learning``) is translated whole, with its post-test and
its evaluation, the way an editor does it through wagtail-localize's PO download and upload,
so a learner who reads Spanish can take it from the catalog to the certificate in Spanish.

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

from courses.models import EvaluationSurvey, Quiz, WebinarPage
from demo.learning import QUIZ_SLUG, SURVEY_TITLE
from demo.learning import WEBINAR_SLUG as PLAYABLE_SLUG

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


# What a translator writes for each of the playable webinar's words (demo/learning.py): its
# page, its post-test (questions, answers, explanations) and its evaluation. The page's
# post-test block is kept from the source, label included; its label, "Post-test", reads in
# the learner's language from the interface's catalog (courses.selectors.learning).
PLAYABLE_SPANISH = {
    "Serve and return in ten seconds": "Servir y devolver en diez segundos",
    "A very short demo webinar: watch, pass a three-question post-test, evaluate it and "
    "receive a training record.": (
        "Un seminario web de demostración muy breve: véalo, apruebe una prueba posterior de "
        "tres preguntas, evalúelo y reciba un registro de capacitación."
    ),
    PLAYABLE_SLUG: "servir-y-devolver-demo",
    "Serve and return: check": "Servir y devolver: comprobación",
    "What starts a serve-and-return exchange?": "¿Qué inicia un intercambio de servir y devolver?",
    "The child's cue": "La señal del niño o la niña",
    "A scheduled lesson": "Una lección programada",
    "A screen": "Una pantalla",
    "Adults notice and respond to what the child shows interest in.": (
        "Los adultos notan lo que le interesa al niño o la niña y le responden."
    ),
    "Which are steps of serve and return?": "¿Cuáles son pasos de servir y devolver?",
    "Name it": "Ponerle nombre",
    "Take turns": "Turnarse",
    "Correct the child": "Corregir al niño o la niña",
    "Notice, respond, name it, take turns, practise endings and beginnings.": (
        "Notar, responder, ponerle nombre, turnarse, practicar los finales y los comienzos."
    ),
    "Serve and return shapes the architecture of a young child's brain.": (
        "Servir y devolver da forma a la arquitectura del cerebro de un niño pequeño."
    ),
    "True": "Verdadero",
    "False": "Falso",
    SURVEY_TITLE: "Servir y devolver: evaluación",
    "The training met its stated learning objectives.": (
        "La capacitación cumplió los objetivos de aprendizaje que se propuso."
    ),
    "I can apply what I learned in my work with infants, young children and families.": (
        "Puedo aplicar lo aprendido en mi trabajo con bebés, niños pequeños y familias."
    ),
    "What will you do differently in your practice?": "¿Qué hará de otra manera en su práctica?",
}


# The catalog page of the webinar's association (its address stays /es/catalog/).
CATALOG_SPANISH = {"Training catalog": "Catálogo de capacitaciones"}


def _translated(obj, spanish: Locale, words: dict[str, str]):
    """``obj`` translated into Spanish as an editor does it: submitted for translation, its
    PO file filled in with ``words`` (what is not there stays in English), the translation
    saved and, for a page, published. A translation already made is kept as it is."""
    existing = obj.get_translation_or_none(spanish)
    if existing is not None and getattr(existing, "alias_of_id", None) is None:
        return existing
    source, _ = TranslationSource.get_or_create_from_instance(obj)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=spanish)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = words.get(entry.msgid, "")
    translation.import_po(po)
    translation.save_target(publish=True)
    return obj.get_translation(spanish)


@transaction.atomic
def translate_playable_webinar(webinar: WebinarPage | None) -> WebinarPage | None:
    """The playable demo webinar, its post-test and its evaluation in Spanish (the post-test
    and evaluation first, so the Spanish page names their translations, as in the admin).
    Idempotent; None when there is no webinar."""
    if webinar is None:
        return None
    english = Locale.objects.get(language_code="en")
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    synchronize_tree(english, spanish)
    for quiz in Quiz.objects.filter(
        organization_id=webinar.provider_id, slug=QUIZ_SLUG, locale=english
    ):
        _translated(quiz, spanish, PLAYABLE_SPANISH)
    survey = EvaluationSurvey.objects.filter(
        pk=webinar.evaluation_survey_id, title=SURVEY_TITLE, locale=english
    ).first()
    if survey is not None:
        _translated(survey, spanish, PLAYABLE_SPANISH)
    catalog = webinar.get_parent().specific
    if catalog.locale_id == english.pk:
        _translated(catalog, spanish, CATALOG_SPANISH)
    return _translated(webinar, spanish, PLAYABLE_SPANISH)

"""One training, many languages: a Spanish translation or alias presents THE training, so
enrolling and completing through it counts once, and the catalog lists each training once,
in the visitor's language, saying which languages it is offered in."""

import pytest
from django.core.cache import cache
from wagtail.models import Locale
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from courses.models import Enrollment, EvaluationResponse, LessonPage, LessonProgress, WebinarPage
from courses.selectors.translations import canonical_only, canonical_page
from courses.services.evaluation import submit_evaluation
from lms.records.models import TrainingRecord
from tests.courses.factories import site_path, training
from tests.factories import UserFactory

HOST = {"HTTP_HOST": "great-lakes.localhost"}


def spanish():
    return Locale.objects.get(language_code="es")


def sync_spanish_tree():
    """What the migration's "sync from English" does for pages made in the admin."""
    synchronize_tree(Locale.objects.get(language_code="en"), spanish())


def translate(page, **fields):
    """Translate ``page`` into Spanish the way wagtail-localize does (the alias becomes a
    translation), then publish the Spanish text."""
    from wagtail_localize.models import Translation, TranslationSource

    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=spanish())
    translation.save_target(publish=True)
    version = page.get_translation(spanish())
    for name, value in fields.items():
        setattr(version, name, value)
    version.save_revision().publish()
    return type(page).objects.get(pk=version.pk)


@pytest.fixture
def webinar(great_lakes):
    page = training(
        great_lakes,
        "Reading a baby's cues",
        kind="webinar",
        summary="What infants tell us before words.",
        require_post_test=False,
    )
    sync_spanish_tree()
    return page


def test_the_migration_makes_spanish_follow_the_english_tree(db):
    sync = LocaleSynchronization.objects.get(locale__language_code="es")
    assert sync.sync_from.language_code == "en"


def test_aliases_and_translations_lead_to_the_canonical_page(webinar):
    alias = WebinarPage.objects.get(translation_key=webinar.translation_key, locale=spanish())
    assert alias.alias_of_id == webinar.pk
    assert canonical_page(alias) == webinar
    translated = translate(webinar, title="Leer las señales del bebé")
    assert translated.alias_of_id is None
    assert canonical_page(translated) == webinar
    assert canonical_page(webinar) is webinar
    same_key = WebinarPage.objects.filter(translation_key=webinar.translation_key)
    assert list(canonical_only(same_key)) == [webinar]


def test_enrolling_on_the_spanish_page_enrolls_in_the_training(client, webinar):
    translated = translate(webinar, title="Leer las señales del bebé")
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(
        f"/learning/trainings/{translated.pk}/enrollment/", {"action": "enroll"}, **HOST
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.training_id == webinar.pk and enrollment.learner == learner
    # Enrolling again on the English page is the same enrollment.
    client.post(f"/learning/trainings/{webinar.pk}/enrollment/", {"action": "enroll"}, **HOST)
    assert Enrollment.objects.count() == 1
    # The Spanish page knows the learner is enrolled (it reads the canonical enrollment).
    html = client.get(site_path(translated), **HOST).content.decode()
    assert "Leer las señales del bebé" in html
    assert f'action="/learning/trainings/{webinar.pk}/enrollment/"' not in html or (
        "unenroll" in html
    )


def test_completing_a_course_through_spanish_lessons_completes_the_one_training(
    client, great_lakes
):
    course = training(great_lakes, "Attachment", require_evaluation=False)
    lessons = [
        course.add_child(instance=LessonPage(title=f"Lesson {i}", slug=f"lesson-{i}"))
        for i in (1, 2)
    ]
    for lesson in lessons:
        lesson.save_revision().publish()
    sync_spanish_tree()
    spanish_course = translate(course, title="Apego")
    spanish_lessons = [translate(lesson, title=f"Lección {n}") for n, lesson in enumerate(lessons)]
    learner = UserFactory()
    client.force_login(learner)
    client.post(
        f"/learning/trainings/{spanish_course.pk}/enrollment/", {"action": "enroll"}, **HOST
    )
    enrollment = Enrollment.objects.get()
    assert enrollment.training_id == course.pk
    submit_evaluation(enrollment=enrollment, survey=None, answers={}, attested=True)

    # The Spanish course lists its Spanish lessons, linked in Spanish.
    assert site_path(spanish_course).startswith("/es/")
    html = client.get(site_path(spanish_course), **HOST).content.decode()
    assert "Lección 0" in html and site_path(spanish_lessons[0]) in html

    response = client.post(f"/learning/lessons/{spanish_lessons[0].pk}/done/", **HOST)
    # Complete and continue: to the next lesson, in Spanish.
    assert response["Location"].endswith(site_path(spanish_lessons[1]))
    assert LessonProgress.objects.get().lesson_id == lessons[0].pk
    client.post(f"/learning/lessons/{spanish_lessons[1].pk}/done/", **HOST)
    enrollment.refresh_from_db()
    assert enrollment.status == "completed"
    assert TrainingRecord.objects.count() == 1
    assert EvaluationResponse.objects.count() == 1
    assert set(LessonProgress.objects.values_list("lesson_id", flat=True)) == {
        lesson.pk for lesson in lessons
    }


def catalog_titles(client, path, **params):
    cache.clear()
    html = client.get(path, params, **HOST).content.decode()
    return html


def test_the_catalog_lists_each_training_once_in_the_visitors_language(
    client, great_lakes, webinar
):
    other = training(great_lakes, "Mandated reporting and ethics")
    sync_spanish_tree()
    translate(webinar, title="Leer las señales del bebé", summary="Lo que dicen los bebés.")

    english = catalog_titles(client, "/catalog/")
    assert english.count(">Reading a baby&#x27;s cues</a>") == 1
    assert "Leer las señales del bebé" not in english
    assert "Mandated reporting and ethics" in english
    assert 'lang="es">Español</span>' in english  # offered in Spanish too

    spanish_html = catalog_titles(client, "/es/catalog/")
    assert spanish_html.count(">Leer las señales del bebé</a>") == 1
    assert "Lo que dicen los bebés." in spanish_html
    assert "Reading a baby&#x27;s cues" not in spanish_html
    # Not translated yet: shown once, in English (its Spanish alias is not listed twice).
    assert spanish_html.count(">Mandated reporting and ethics</a>") == 1
    assert other.title in spanish_html


def test_the_catalog_filters_by_language(client, great_lakes, webinar):
    training(great_lakes, "Mandated reporting and ethics")
    translate(webinar, title="Leer las señales del bebé")
    in_spanish = catalog_titles(client, "/catalog/", language="es")
    assert "Reading a baby&#x27;s cues" in in_spanish
    assert "Mandated reporting and ethics" not in in_spanish
    in_english = catalog_titles(client, "/catalog/", language="en")
    assert "Reading a baby&#x27;s cues" in in_english
    assert "Mandated reporting and ethics" in in_english


def test_a_draft_translation_does_not_offer_the_training_in_spanish(client, great_lakes, webinar):
    from wagtail_localize.models import Translation, TranslationSource

    source, _ = TranslationSource.get_or_create_from_instance(webinar)
    Translation.objects.create(source=source, target_locale=spanish()).save_target(publish=False)
    assert "Español</span>" not in catalog_titles(client, "/catalog/")
    assert "Reading a baby&#x27;s cues" not in catalog_titles(client, "/catalog/", language="es")


def count_queries(client, path, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params, **HOST).status_code == 200
    return len(queries)


def test_catalog_queries_do_not_grow_with_translations(client, great_lakes):
    def add(start, count):
        for n in range(start, start + count):
            page = training(great_lakes, f"Training {n}")
            if n % 2:
                sync_spanish_tree()
                translate(page, title=f"Capacitación {n}")

    add(0, 2)
    few = [
        count_queries(client, "/es/catalog/"),
        count_queries(client, "/catalog/", language="es"),
        count_queries(client, "/catalog/", q="Training"),
    ]
    add(2, 12)
    many = [
        count_queries(client, "/es/catalog/"),
        count_queries(client, "/catalog/", language="es"),
        count_queries(client, "/catalog/", q="Training"),
    ]
    # (The search's own ranking may read one fewer.)
    assert all(m <= f for m, f in zip(many, few, strict=True))


def test_the_demo_offers_a_webinar_in_spanish(
    framework, client, django_capture_on_commit_callbacks
):
    from demo.loader import load_demo

    # wagtail-localize publishes a translation once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    host = {"HTTP_HOST": "great-lakes.localhost:8000"}
    cache.clear()
    html = client.get("/es/catalog/", **host).content.decode()
    assert ">Detección de inquietudes socioemocionales en niños pequeños</a>" in html
    assert 'lang="es">Español</span>' in html
    webinar = WebinarPage.objects.get(slug="deteccion-socioemocional")
    assert client.get(site_path(webinar), **host).status_code == 200
    # Every page of the English tree is in the Spanish one (aliases where not translated).
    english = Locale.objects.get(language_code="en")
    assert (
        WebinarPage.objects.filter(locale=english).count()
        == WebinarPage.objects.filter(locale=spanish()).count()
    )
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()  # again: nothing new
    assert WebinarPage.objects.filter(slug="deteccion-socioemocional").count() == 1

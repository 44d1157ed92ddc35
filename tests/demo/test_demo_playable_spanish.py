"""The playable demo webinar in Spanish: its page, post-test and evaluation are translated as
an editor translates them, with every fact and id kept; a second load changes nothing."""

import shutil

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from courses.models import EvaluationSurvey, Quiz, WebinarPage
from courses.selectors.quizzes import canonical
from courses.services.evaluation import shown_survey, survey_for
from demo.learning import QUIZ_SLUG, SURVEY_TITLE, load_demo_webinar
from demo.translations import PLAYABLE_SPANISH, translate_playable_webinar
from lms.organizations.models import Organization
from tests.courses.factories import approved_facilitator, site_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the demo clip"),
]


def blocks(stream):
    return [(block.id, block.block_type) for block in stream]


def test_the_playable_webinar_its_post_test_and_evaluation_read_in_spanish(
    great_lakes, client, django_capture_on_commit_callbacks
):
    facilitators = [approved_facilitator(great_lakes)]
    with django_capture_on_commit_callbacks(execute=True):
        webinar = load_demo_webinar(organization=great_lakes, facilitators=facilitators)
        spanish_page = translate_playable_webinar(webinar)
    es = Locale.objects.get(language_code="es")

    assert spanish_page.locale == es and spanish_page.alias_of_id is None and spanish_page.live
    assert spanish_page.title == "Servir y devolver en diez segundos"
    assert spanish_page.slug == "servir-y-devolver-demo"
    assert spanish_page.summary.startswith("Un seminario web de demostración muy breve")
    # The post-test is the source's (its label reads through the interface's catalog).
    kept = [(b.value["quiz"], b.value["label"]) for b in spanish_page.post_test]
    assert kept == [(b.value["quiz"], b.value["label"]) for b in webinar.post_test]
    assert spanish_page.contact_hours == webinar.contact_hours
    response = client.get(site_path(spanish_page), HTTP_HOST="great-lakes.localhost")
    assert response.status_code == 200

    quiz = Quiz.objects.get(slug=QUIZ_SLUG, locale__language_code="en")
    translated = quiz.get_translation(es)
    assert translated.title == "Servir y devolver: comprobación"
    assert blocks(translated.questions) == blocks(quiz.questions)
    prompts = [block.value["prompt"] for block in translated.questions]
    assert prompts[0] == "¿Qué inicia un intercambio de servir y devolver?"
    choices = [c["text"] for c in translated.questions[2].value["choices"]]
    assert choices == ["Verdadero", "Falso"]
    assert (
        translated.questions[0].value["feedback"]
        == PLAYABLE_SPANISH["Adults notice and respond to what the child shows interest in."]
    )
    assert (translated.pass_mark_percent, translated.max_attempts) == (
        quiz.pass_mark_percent,
        quiz.max_attempts,
    )

    # The evaluation is the webinar's own; the learner reads its Spanish words, and the
    # responses belong to the English survey.
    survey = EvaluationSurvey.objects.get(title=SURVEY_TITLE)
    assert survey_for(training=spanish_page.specific) == survey
    assert canonical(survey.get_translation(es)) == survey
    shown = shown_survey(survey=survey, language="es")
    assert [item.value["prompt"] for item in shown.items][-1] == (
        "¿Qué hará de otra manera en su práctica?"
    )

    # Loading the demo again changes nothing.
    counts = (Quiz.objects.count(), EvaluationSurvey.objects.count(), WebinarPage.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            translate_playable_webinar(
                load_demo_webinar(organization=great_lakes, facilitators=facilitators)
            )
            == spanish_page
        )
    assert counts == (
        Quiz.objects.count(),
        EvaluationSurvey.objects.count(),
        WebinarPage.objects.count(),
    )


def test_the_demo_webinar_command_adds_it_in_both_languages(
    great_lakes, django_capture_on_commit_callbacks
):
    approved_facilitator(great_lakes)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_webinar", verbosity=0)
        call_command("load_demo_webinar", verbosity=0)
    slugs = set(WebinarPage.objects.filter(alias_of=None).values_list("slug", flat=True))
    assert {"serve-and-return-demo", "servir-y-devolver-demo"} <= slugs
    assert Organization.objects.get(slug="great-lakes").quizzes.count() == 2

"""Post-tests and evaluations in the learner's language: an editor translates them with
wagtail-localize, a learner reading Spanish takes the Spanish words, and every fact (the
attempt, its grade, the pass mark, the answer key, the evaluation's responses) stays the
canonical post-test's or survey's, so Spanish and English count the same."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from courses.models import EvaluationResponse, EvaluationSurvey, QuizAttempt
from courses.selectors.completion import completion_checks
from courses.selectors.learning import quizzes_for
from courses.selectors.quizzes import canonical, in_language
from courses.selectors.reports import evaluation_summaries, item_analysis
from courses.services.enrollment import enroll
from courses.services.evaluation import survey_for
from courses.services.quizzes import QuizError, questions_of, start_attempt, submit_attempt
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.courses.learning import correct_answers, quiz, webinar
from tests.factories import UserFactory

# What a translator writes for each of the post-test's words (tests/courses/learning.py).
SPANISH = {
    "Cues post-test": "Prueba posterior sobre las señales",
    "Serve and return describes…": "El intercambio de servir y devolver describe…",
    "Back-and-forth exchanges": "Intercambios de ida y vuelta",
    "A tennis drill": "Un ejercicio de tenis",
    "Sleep training": "Entrenamiento del sueño",
    "Responsive exchanges build the brain's architecture.": (
        "Los intercambios receptivos construyen la arquitectura del cerebro."
    ),
    "Which are signs of a baby's engagement cues?": (
        "¿Cuáles son señales de que un bebé quiere interactuar?"
    ),
    "Looking at the caregiver": "Mirar a la cuidadora",
    "Smiling": "Sonreír",
    "Turning away": "Apartar la mirada",
    "Reflective supervision is only for clinicians.": (
        "La supervisión reflexiva es solo para clínicos."
    ),
    "True": "Verdadero",
    "False": "Falso",
    "A baby's cry is…": "El llanto de un bebé es…",
    "Communication": "Comunicación",
    "Manipulation": "Manipulación",
    "Co-regulation comes before self-regulation.": (
        "La corregulación viene antes de la autorregulación."
    ),
    "Cues evaluation": "Evaluación sobre las señales",
    "The training met its objectives.": "La capacitación cumplió sus objetivos.",
    "What will you change in your practice?": "¿Qué cambiará en su práctica?",
}
QUESTION = re.compile(r'data-question="([^"]+)"')
CHOICE = re.compile(r'name="q-([^"]+)" value="([^"]+)"')


@pytest.fixture
def spanish():
    return Locale.objects.get_or_create(language_code="es")[0]


def translate(obj, spanish):
    """As an editor does in the admin with wagtail-localize: submit the snippet for
    translation into Spanish, fill in each of its words (here through the PO file the
    translation editor downloads and uploads), and save the translation."""
    source, _ = TranslationSource.get_or_create_from_instance(obj)
    translation = source.translations.create(target_locale=spanish)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = SPANISH[entry.msgid]
    assert not translation.import_po(po)  # no warnings
    translation.save_target()
    return obj.get_translation(spanish)


def in_spanish(client):
    """The learner's interface is in Spanish (their browser's choice)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"


@pytest.fixture
def setup(great_lakes, spanish):
    the_quiz = quiz(great_lakes, max_attempts=2)
    page = webinar(great_lakes, quiz_slug=the_quiz.slug)
    return the_quiz, page


def url(page, the_quiz):
    return f"/learning/trainings/{page.pk}/quiz/{the_quiz.slug}/"


def ids(the_quiz):
    return [
        (block.id, [item.id for item in block.value["choices"].bound_blocks])
        for block in the_quiz.questions
    ]


def test_an_editor_translates_a_post_test_keeping_every_fact_and_every_id(setup, spanish):
    the_quiz, _page = setup
    translated = translate(the_quiz, spanish)

    assert translated.pk != the_quiz.pk and translated.locale == spanish
    assert translated.title == "Prueba posterior sobre las señales"
    assert translated.translation_key == the_quiz.translation_key
    # The same questions and answers under the same ids; the facts are the source's.
    assert ids(translated) == ids(the_quiz)
    for field in ("organization_id", "slug", "pass_mark_percent", "max_attempts", "feedback"):
        assert getattr(translated, field) == getattr(the_quiz, field)
    shown = questions_of(the_quiz, words_from=translated)
    assert {q.prompt for q in shown.values()} >= {"El llanto de un bebé es…"}
    # The training names the post-test once, and that is the source.
    assert canonical(translated) == the_quiz
    assert in_language(the_quiz, language="es") == translated
    assert in_language(the_quiz, language="en") == the_quiz
    found = quizzes_for(training=_page, slugs=[the_quiz.slug])
    assert list(found.values()) == [the_quiz]


def test_a_learner_reading_spanish_passes_and_it_counts_as_in_english(client, setup, spanish):
    the_quiz, page = setup
    translate(the_quiz, spanish)
    english, hispanic = UserFactory(), UserFactory()
    for learner in (english, hispanic):
        enroll(learner=learner, training=page)

    # The English learner passes in English.
    client.force_login(english)
    client.post(url(page, the_quiz), {"action": "start"})
    html = client.get(url(page, the_quiz)).content.decode()
    assert "Serve and return describes…" in html and "El llanto" not in html
    attempt = QuizAttempt.objects.get(learner=english)
    answers = {f"q-{qid}": chosen for qid, chosen in correct_answers(the_quiz).items()}
    client.post(url(page, the_quiz), {"action": "submit", "attempt": attempt.pk, **answers})

    # The Spanish learner reads every question and answer in Spanish, under the same ids.
    client.force_login(hispanic)
    in_spanish(client)
    client.post(url(page, the_quiz), {"action": "start"})
    html = client.get(url(page, the_quiz)).content.decode()
    assert 'lang="es"' in html
    assert "El llanto de un bebé es…" in html and "Intercambios de ida y vuelta" in html
    assert "Verdadero" in html
    assert "Serve and return describes…" not in html and "Back-and-forth" not in html
    attempt = QuizAttempt.objects.get(learner=hispanic)
    assert set(QUESTION.findall(html)) == set(correct_answers(the_quiz))
    html = client.post(
        url(page, the_quiz), {"action": "submit", "attempt": attempt.pk, **answers}
    ).content.decode()
    # The explanation after the attempt is in Spanish too.
    assert "Los intercambios receptivos" in html

    # One attempt each, both at the canonical post-test, graded the same.
    first, second = (QuizAttempt.objects.get(learner=who) for who in (english, hispanic))
    assert first.quiz_id == second.quiz_id == the_quiz.pk
    assert first.passed and second.passed
    assert first.score_percent == second.score_percent == 100
    assert first.results == second.results
    # Completion reads the same for both, and the training's checklist sees the pass.
    checks = [
        {c.key: c.met for c in completion_checks(enrollment=learner.enrollments.get())}
        for learner in (english, hispanic)
    ]
    assert checks[0] == checks[1] and checks[1]["post_test"] is True
    passed = quizzes_for(training=page, slugs=[the_quiz.slug], passed_by=hispanic)
    assert passed[the_quiz.slug].learner_passed
    # The item analysis counts both attempts under the one post-test.
    [report] = item_analysis(organization=the_quiz.organization)
    assert report.quiz == the_quiz and report.attempts == 2 and report.passed == 2


def test_a_translation_cannot_change_the_answer_key_or_the_pass_mark(client, setup, spanish):
    the_quiz, page = setup
    translated = translate(the_quiz, spanish)
    # Someone edits the translation's facts directly: a wrong answer marked right, a pass
    # mark of 1%, and an answer that exists only in Spanish.
    data = translated.questions.raw_data
    first = data[0]["value"]["choices"]
    right_id = next(c["id"] for c in first if c["value"]["correct"])
    wrong_id = next(c["id"] for c in first if not c["value"]["correct"])
    for choice in first:
        choice["value"]["correct"] = choice["id"] == wrong_id
    first.append(
        {"type": "item", "id": "only-in-spanish", "value": {"text": "Extra", "correct": True}}
    )
    translated.questions = data
    translated.pass_mark_percent = 1
    translated.save()

    learner = UserFactory()
    enroll(learner=learner, training=page)
    client.force_login(learner)
    in_spanish(client)
    client.post(url(page, the_quiz), {"action": "start"})
    html = client.get(url(page, the_quiz)).content.decode()
    assert "Extra" not in html  # only the canonical answers are offered
    attempt = QuizAttempt.objects.get(learner=learner)

    # An answer of the translation only is refused and nothing changes.
    answers = correct_answers(the_quiz)
    qid = data[0]["id"]
    forged = {f"q-{k}": v for k, v in {**answers, qid: ["only-in-spanish"]}.items()}
    html = client.post(
        url(page, the_quiz), {"action": "submit", "attempt": attempt.pk, **forged}
    ).content.decode()
    with translation.override("es"):  # the learner reads the post-test in Spanish
        refusal = gettext(
            "One of your answers is not among its question's answers. Reload the page."
        )
    assert escape(refusal) in html
    attempt.refresh_from_db()
    assert (
        attempt.status == "in_progress" and attempt.answers == {} and attempt.score_percent is None
    )

    # The translation's "right" answer is graded by the canonical key: wrong.
    answers[qid] = [wrong_id]
    result = submit_attempt(attempt=attempt, answers=answers)
    assert result.results[qid] == {"correct": False, "chosen": [wrong_id], "right": [right_id]}
    assert result.score_percent == 80 and result.passed  # the canonical 80% pass mark
    # A translation handed to the service is graded as its source.
    assert start_attempt(quiz=translated, learner=UserFactory()).quiz_id == the_quiz.pk


@pytest.mark.parametrize("forge", ["unknown answer", "another question's answer", "two answers"])
def test_forged_choice_ids_are_refused_with_a_clear_error_and_change_nothing(client, setup, forge):
    the_quiz, page = setup
    learner = UserFactory()
    enroll(learner=learner, training=page)
    right = correct_answers(the_quiz)
    shown = questions_of(the_quiz)
    single = next(qid for qid, q in shown.items() if q.kind == "single")
    other = next(qid for qid in shown if qid != single)
    answers = {f"q-{qid}": chosen for qid, chosen in right.items()}
    answers[f"q-{single}"] = {
        "unknown answer": ["not-a-choice"],
        "another question's answer": [shown[other].choices[0].id],
        "two answers": [c.id for c in shown[single].choices[:2]],
    }[forge]
    client.force_login(learner)
    client.post(url(page, the_quiz), {"action": "start"})
    attempt = QuizAttempt.objects.get()
    response = client.post(
        url(page, the_quiz), {"action": "submit", "attempt": attempt.pk, **answers}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "message-error" in html
    message = "Choose only one answer" if forge == "two answers" else "not among its question"
    assert message in html
    attempt.refresh_from_db()
    assert attempt.status == "in_progress" and attempt.results == {} and not attempt.passed
    assert QuizAttempt.objects.count() == 1
    # The same attempt is still open and takes honest answers.
    assert set(QUESTION.findall(html)) == set(right)
    with pytest.raises(QuizError):
        submit_attempt(attempt=attempt, answers={"no-such-question": []})
    assert submit_attempt(attempt=attempt, answers=right).passed


def survey_in(org):
    return EvaluationSurvey.objects.create(
        organization=org,
        title="Cues evaluation",
        items=[
            ("likert", {"prompt": "The training met its objectives."}),
            ("text", {"prompt": "What will you change in your practice?", "required": True}),
        ],
    )


def test_an_evaluation_answered_in_spanish_lands_in_the_same_surveys_responses(
    client, great_lakes, spanish
):
    survey = survey_in(great_lakes)
    page = webinar(great_lakes, evaluation_survey=survey)
    translated = translate(survey, spanish)
    assert [b.id for b in translated.items] == [b.id for b in survey.items]
    likert, text = (str(b.id) for b in survey.items)
    evaluation = f"/learning/trainings/{page.pk}/evaluation/"

    english, hispanic = UserFactory(), UserFactory()
    for learner in (english, hispanic):
        enroll(learner=learner, training=page)
    client.force_login(english)
    html = client.get(evaluation).content.decode()
    assert "The training met its objectives." in html
    client.post(evaluation, {f"item-{likert}": "5", f"item-{text}": "More play", "attested": "yes"})

    client.force_login(hispanic)
    in_spanish(client)
    html = client.get(evaluation).content.decode()
    assert "La capacitación cumplió sus objetivos." in html
    assert "¿Qué cambiará en su práctica?" in html
    assert "The training met its objectives." not in html
    assert f'name="item-{likert}"' in html and f'name="item-{text}"' in html
    # The Spanish form still requires what the source requires.
    response = client.post(evaluation, {f"item-{likert}": "4", "attested": "yes"})
    assert (
        response.status_code == 200
        and not EvaluationResponse.objects.filter(enrollment__learner=hispanic).exists()
    )
    response = client.post(
        evaluation, {f"item-{likert}": "4", f"item-{text}": "Más juego", "attested": "yes"}
    )
    assert response.status_code == 302

    responses = EvaluationResponse.objects.order_by("pk")
    assert [r.survey_id for r in responses] == [survey.pk, survey.pk]
    assert responses[1].answers == {likert: 4, text: "Más juego"}
    [summary] = evaluation_summaries(organization=great_lakes)
    assert summary.title == "Cues evaluation" and summary.responses == 2
    assert summary.comments == [
        ("What will you change in your practice?", ["More play", "Más juego"])
    ]
    # A training whose Spanish page points at the Spanish survey still asks the source's.
    page.evaluation_survey = translated
    assert survey_for(training=page) == survey


def refused(response) -> bool:
    """Wagtail's admin answers a refusal by sending the person to its home page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def test_only_the_organizations_editors_translate_its_post_tests(client, setup, prairie, spanish):
    """wagtail-localize would let any editor start any snippet's translation, and only
    holders of a model permission edit its words; Attune asks the post-test's organization."""
    the_quiz, _page = setup
    submit = reverse(
        "wagtail_localize:submit_snippet_translation", args=["courses", "quiz", the_quiz.pk]
    )
    outsider = member(prairie, Role.EDITOR)
    assert outsider.has_perm("wagtail_localize.submit_translation")
    client.force_login(outsider)
    assert refused(client.get(submit))
    assert refused(client.post(submit, {"locales": [spanish.pk]}))
    assert not the_quiz.get_translations().exists()

    # The association's own editor starts it; an outsider cannot touch its words or PO file.
    client.force_login(member(the_quiz.organization, Role.EDITOR))
    assert client.get(submit).status_code == 200
    assert client.post(submit, {"locales": [spanish.pk]}).status_code == 302
    translated = the_quiz.get_translation(spanish)
    translation = TranslationSource.objects.get_for_instance(the_quiz).translations.get()
    download = reverse("wagtail_localize:download_pofile", args=[translation.pk])
    assert client.get(download).status_code == 200  # by the policy, not a model permission
    client.force_login(outsider)
    assert refused(client.get(download))
    upload = reverse("wagtail_localize:upload_pofile", args=[translation.pk])
    assert refused(client.post(upload, {"file": b""}))
    stop = reverse("wagtail_localize:stop_translation", args=[translation.pk])
    assert refused(client.post(stop))
    translation.refresh_from_db()
    assert translation.enabled and translated.title == the_quiz.title

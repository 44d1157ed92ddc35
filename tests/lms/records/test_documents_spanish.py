"""A record issued in English, shown to a learner who reads Spanish: the certificate and the
transcript exports carry Spanish labels and exactly the facts as issued."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from lms.accounts.models import User
from lms.accounts.services import set_preferred_language
from lms.organizations.models import Role
from lms.records.documents import certificate_pdf, transcript_csv, transcript_pdf
from lms.records.language import document_language
from lms.records.models import TrainingRecord
from lms.records.selectors.transcript import transcript_for
from tests.factories import MembershipFactory, UserFactory
from tests.i18n_fixtures import spanish_catalog_fixture

from .factories import issue
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db

spanish = spanish_catalog_fixture("records", marker='msgid "This certifies that"')

TITLE = "Attachment in the first year"


@pytest.fixture
def record(framework):
    """Issued while the site reads English; the learner then chooses Spanish."""
    learner = UserFactory(first_name="Rosa", last_name="Delgado")
    with translation.override("en"):
        issued = issue(learner, title=TITLE)
    set_preferred_language(user=learner, language="es")
    return TrainingRecord.objects.select_related("learner").get(pk=issued.pk)


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_learners_language_is_their_preference_when_attune_offers_it(framework):
    learner = UserFactory()
    assert document_language(user=learner) == "en"
    assert document_language(user=learner, fallback="es-MX") == "es"
    set_preferred_language(user=learner, language="es")
    assert document_language(user=fresh(learner), fallback="en") == "es"


def test_certificate_in_spanish_keeps_the_facts_as_issued(spanish, record):
    english = pdf_text(certificate_pdf(record, language="en"))
    text = pdf_text(certificate_pdf(record))  # the learner's language: Spanish
    squashed = text.replace(" ", "")
    # The facts, unchanged: title, learner, date, hours, provider, facilitators, area codes.
    for fact in (TITLE, "Rosa Delgado", "2024-03-14", "Great Lakes Association"):
        assert fact in text and fact in english
    assert "Dana Whitfield, LMSW, IMH-E" in text
    assert "(TF)" in text and "(REF)" in text and "(TF)" in english
    assert "3,5 horas reloj" in text and "3.5 clock hours" in english
    assert "14 de marzo de 2024" in text
    # Spanish labels, and the framework's Spanish names for the areas.
    for label in (
        "Certificado de finalización",
        "Se certifica que",
        "Fecha",
        "Duración",
        "Proveedor",
        "Facilitadores",
        "Modalidad",
        "Seminario web en vivo",
        "Incluye contenido de DEI",
        "Áreas de competencia",
        "Verifique en",
    ):
        assert label in text, label
    assert "Fundamentosteóricos(TF)2,5h" in squashed
    assert "Reflexión(REF)1h" in squashed
    for english_label in ("This certifies that", "clock hours", "Provider", "Live webinar"):
        assert english_label not in text
    assert f"/verify/{record.verification_id}/" in squashed


def test_transcript_exports_in_spanish_keep_the_facts_as_issued(spanish, record):
    learner = record.learner
    english_rows = list(
        csv.reader(io.StringIO(transcript_csv(transcript_for(learner=learner), language="en")))
    )
    rows = list(csv.reader(io.StringIO(transcript_csv(transcript_for(learner=fresh(learner))))))
    header, line = rows[0], rows[1]
    assert header[:6] == ["Fecha", "Título", "Tema", "Proveedor", "Facilitadores", "Horas reloj"]
    assert "Horas TF" in header and "Horas REF" in header and "URL de verificación" in header
    assert english_rows[0][:2] == ["Date", "Title"]
    english = dict(zip(english_rows[0], english_rows[1], strict=True))
    spanish_line = dict(zip(header, line, strict=True))
    # Same facts, machine-readable in both: ISO date, hours with a decimal point, codes.
    for en, es in (
        ("Date", "Fecha"),
        ("Title", "Título"),
        ("Provider", "Proveedor"),
        ("Facilitators", "Facilitadores"),
        ("Clock hours", "Horas reloj"),
        ("TF hours", "Horas TF"),
        ("REF hours", "Horas REF"),
        ("Verification URL", "URL de verificación"),
    ):
        assert english[en] == spanish_line[es], en
    assert spanish_line["Fecha"] == "2024-03-14" and spanish_line["Horas reloj"] == "3.50"
    assert spanish_line["Título"] == TITLE
    assert spanish_line["Modalidad"] == "Seminario web en vivo"
    assert spanish_line["DEI"] == "sí" and english["DEI"] == "yes"

    text = pdf_text(transcript_pdf(transcript_for(learner=fresh(learner))))
    squashed = text.replace(" ", "")
    assert "Historial de capacitación" in text
    assert "Horas por área de competencia" in text
    assert TITLE in text and "2024-03-14" in text and "Great Lakes Association" in text
    assert "Fundamentosteóricos(TF)" in squashed and "TF2,5" in squashed
    assert "Training transcript" not in text and "Clock hours" not in text


def test_the_certificate_speaks_the_learners_language_whoever_downloads_it(client, spanish, record):
    staff = MembershipFactory(organization=record.provider_organization, role=Role.REVIEWER).user
    client.force_login(staff)
    response = client.get(
        reverse("records:certificate", args=[record.verification_id]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Se certifica que" in text and TITLE in text


def test_the_verification_page_speaks_the_visitors_language(client, spanish, record):
    url = reverse("records:verify", args=[record.verification_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Verificación del registro de capacitación" in page
    assert TITLE in page and "Fundamentos teóricos (TF): 2,5 h" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Training record verification" in page
    assert "Theoretical Foundations (TF): 2.5 h" in page

import csv
import io
import subprocess
from decimal import Decimal

import pytest

from lms.records.documents import certificate_pdf, transcript_csv, transcript_pdf
from lms.records.models import TrainingRecord
from lms.records.selectors.transcript import transcript_for
from lms.records.services.amendments import amend_record
from tests.factories import UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def test_certificate_pdf_text_has_the_training_facts(framework):
    learner = UserFactory(first_name="Rosa", last_name="Delgado")
    record = issue(learner)
    pdf = certificate_pdf(TrainingRecord.objects.get(pk=record.pk))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Rosa Delgado" in text
    assert "March 14, 2024" in text
    assert "3.5 clock hours" in text
    assert "Dana Whitfield, LMSW, IMH-E" in text
    squashed = text.replace(" ", "")  # pdftotext may drop or add spaces between table cells
    assert "TheoreticalFoundations(TF)2.5h" in squashed
    assert "Reflection(REF)1h" in squashed
    assert f"/verify/{record.verification_id}/" in squashed


def test_certificate_shows_amended_values(framework):
    record = issue()
    amend_record(
        record=record,
        by=UserFactory(),
        reason="Wrong facilitator",
        facilitators=[{"name": "Morgan Ellis", "credentials": "PhD"}],
    )
    text = pdf_text(certificate_pdf(TrainingRecord.objects.get(pk=record.pk)))
    assert "Morgan Ellis, PhD" in text
    assert "Dana Whitfield" not in text


def test_transcript_pdf_and_csv(framework):
    learner = UserFactory(first_name="Rosa", last_name="Delgado")
    issue(learner, title="=HYPERLINK(evil)")
    issue(learner, duration_hours=Decimal("2"), area_hours={"COM": Decimal("2")})
    transcript = transcript_for(learner=learner)
    text = pdf_text(transcript_pdf(transcript))
    assert "Rosa Delgado" in text
    assert "Training 5.5" in text
    rows = list(csv.DictReader(io.StringIO(transcript_csv(transcript))))
    assert len(rows) == 2
    assert {r["COM hours"] for r in rows} == {"2.00", ""}
    assert any(r["Title"].startswith("'=") for r in rows)

"""Golden tests of the application export: the CSV's columns and the JSON's fields, ISO 8601
dates, decimal hours, one row per record, nothing dropped; amended values and revoked
records; the PDF and the management command; the CSV and PDF in the learner's language."""

import csv
import datetime
import io
import json
import re
import subprocess
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.accounts.models import User
from lms.accounts.services import set_preferred_language
from lms.competencies.models import EndorsementCategory
from lms.endorsement import exports
from lms.endorsement.selectors.exports import export_data
from lms.records.models import RSCSession
from lms.records.services.amendments import amend_record, revoke_record
from lms.records.services.external import add_external_training
from lms.records.services.rsc import cosign_token, decide_rsc_cosignature, log_rsc_session
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db

CSV_HEADER = (
    "Record ID,Date,Duration (clock hours),Title,Topic,Facilitators,Provider,Competency areas,"
    "Sub-areas,Delivery,Age band,DEI,About providing RSC,Record kind,Verification tier,Status,"
    "Revoked on,Amended fields,Verification URL"
)
RSC_HEADER = (
    "Record ID,Date,Duration (clock hours),Format,Supervisor/consultant,Supervisor endorsement,"
    "Topic,About providing RSC,Co-signature,Verification tier,Status,Revoked on,Amended fields,"
    "Verification URL"
)
TRAINING_FIELDS = {
    "record_id",
    "date",
    "duration_hours",
    "title",
    "topic",
    "facilitators",
    "provider",
    "competency_areas",
    "sub_areas",
    "delivery_format",
    "age_band",
    "dei",
    "rsc_topic",
    "kind",
    "verification_tier",
    "status",
    "revoked_on",
    "amended",
    "verification_url",
}
RSC_FIELDS = {
    "record_id",
    "date",
    "duration_hours",
    "session_format",
    "supervisor",
    "supervisor_endorsement",
    "topic",
    "rsc_topic",
    "cosign_status",
    "verification_tier",
    "status",
    "revoked_on",
    "amended",
    "verification_url",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HOURS = re.compile(r"^\d+\.\d{2}$")


@pytest.fixture
def portfolio(framework):
    learner = UserFactory(first_name="Lee", last_name="Parker", email="lee@example.org")
    provider = OrganizationFactory(name="Great Lakes Association")
    attachment = issue(
        learner,
        title="Attachment in the first year",
        topic="Attachment",
        completed_on=datetime.date(2024, 3, 14),
        duration_hours=D("3.5"),
        area_hours={"TF": D("2.5"), "REF": D("1")},
        sub_area_codes=["TF.ATL"],
        provider_name="Great Lakes Association",
        provider_organization=provider,
        age_band="infant",
        dei=True,
    )
    external = add_external_training(
        learner=learner,
        title='=HYPERLINK("http://evil")',  # a spreadsheet formula must stay text
        completed_on=datetime.date(2019, 5, 2),
        duration_hours=D("24"),
        provider_name="Riverbend Clinic",
        area_hours={"DSS": D("16"), "TF": D("8")},
        delivery_format="in_person",
        facilitators=[{"name": "Jo Park", "credentials": "LMSW"}, {"name": "Al Reyes"}],
    )
    amend_record(
        record=external,
        by=learner,
        reason="Certificate shows 2019-05-03",
        completed_on=datetime.date(2019, 5, 3),
        duration_hours=D("6"),
        area_hours={"DSS": D("6")},
    )
    revoked = issue(learner, title="Counted twice", completed_on=datetime.date(2023, 1, 9))
    revoke_record(record=revoked, by=learner, reason="Duplicate of another record")
    toddlers = issue(
        learner,
        title="Toddlers at play",
        age_band="early_childhood",
        completed_on=datetime.date(2022, 8, 1),
    )
    supervisor = UserFactory(email="ruth@example.org")
    confirmed = log_rsc_session(
        learner=learner,
        session_date=datetime.date(2024, 2, 1),
        duration_hours=D("1.5"),
        session_format="individual",
        supervisor_name="Ruth Okafor",
        supervisor_email="ruth@example.org",
        supervisor_endorsement="IMHM-C",
        topic="Parallel process",
    )
    token = cosign_token(RSCSession.objects.get(pk=confirmed.pk))
    decide_rsc_cosignature(token=token, user=supervisor, confirm=True)
    pending = log_rsc_session(
        learner=learner,
        session_date=datetime.date(2024, 3, 1),
        duration_hours=D("1"),
        session_format="group",
        supervisor_name="Ruth Okafor",
        supervisor_email="ruth@example.org",
    )
    return {
        "learner": learner,
        "attachment": attachment,
        "external": external,
        "revoked": revoked,
        "toddlers": toddlers,
        "confirmed": confirmed,
        "pending": pending,
    }


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_training_csv_golden(portfolio):
    data = export_data(learner=portfolio["learner"])
    text = exports.training_csv(data)
    rows = csv_rows(text)
    assert ",".join(rows[0]) == CSV_HEADER
    # One row per training record (revoked included), oldest first; RSC sessions go to the log.
    records = [portfolio[k] for k in ("external", "toddlers", "revoked", "attachment")]
    assert [r[0] for r in rows[1:]] == [str(r.verification_id) for r in records]
    a = portfolio["attachment"]
    assert rows[4] == [
        str(a.verification_id),
        "2024-03-14",
        "3.50",
        "Attachment in the first year",
        "Attachment",
        "Dana Whitfield, LMSW, IMH-E",
        "Great Lakes Association",
        "Theoretical Foundations (TF) 2.50; Reflection (REF) 1.00",
        "TF.ATL",
        "Live webinar",
        "Infant (pregnancy to 36 months)",
        "yes",
        "no",
        "Platform completion",
        "Platform-verified",
        "Valid",
        "",
        "",
        f"http://testserver/verify/{a.verification_id}/",
    ]
    # Amended values, and the fields that were amended.
    external = rows[1]
    assert external[1:4] == ["2019-05-03", "6.00", '\'=HYPERLINK("http://evil")']
    assert external[5] == "Jo Park, LMSW; Al Reyes"
    assert external[7] == "Direct Service Skills (DSS) 6.00"
    assert external[13:16] == ["External training", "Self-reported", "Valid"]
    assert external[17] == "area_hours; completed_on; duration_hours"
    # Revoked: listed and marked, with the day it was revoked.
    revoked = rows[3]
    assert revoked[15] == "Revoked" and ISO_DATE.match(revoked[16])
    for row in rows[1:]:
        assert ISO_DATE.match(row[1]) and HOURS.match(row[2])


def test_rsc_log_csv_golden(portfolio):
    rows = csv_rows(exports.rsc_log_csv(export_data(learner=portfolio["learner"])))
    assert ",".join(rows[0]) == RSC_HEADER
    confirmed, pending = portfolio["confirmed"], portfolio["pending"]
    assert rows[1] == [
        str(confirmed.verification_id),
        "2024-02-01",
        "1.50",
        "Individual",
        "Ruth Okafor",
        "IMHM-C",
        "Parallel process",
        "no",
        "Co-signed",
        "Provider-attested",
        "Valid",
        "",
        "",
        f"http://testserver/verify/{confirmed.verification_id}/",
    ]
    assert rows[2][:4] == [str(pending.verification_id), "2024-03-01", "1.00", "Group"]
    assert rows[2][8:10] == ["Awaiting co-signature", "Self-reported"]
    assert len(rows) == 3


def test_json_golden(portfolio):
    document = json.loads(exports.export_json(export_data(learner=portfolio["learner"])))
    assert set(document) == {
        "format",
        "format_version",
        "generated_at",
        "learner",
        "filters",
        "totals",
        "training",
        "rsc_sessions",
    }
    assert document["learner"] == {"name": "Lee Parker", "email": "lee@example.org"}
    assert document["filters"] == {"since": None, "until": None, "category": None}
    assert len(document["training"]) == 4 and len(document["rsc_sessions"]) == 2
    for entry in document["training"]:
        assert set(entry) == TRAINING_FIELDS
        assert ISO_DATE.match(entry["date"]) and HOURS.match(entry["duration_hours"])
        assert all(HOURS.match(a["hours"]) for a in entry["competency_areas"])
    for entry in document["rsc_sessions"]:
        assert set(entry) == RSC_FIELDS
    a = portfolio["attachment"]
    assert document["training"][3] == {
        "record_id": str(a.verification_id),
        "date": "2024-03-14",
        "duration_hours": "3.50",
        "title": "Attachment in the first year",
        "topic": "Attachment",
        "facilitators": [{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}],
        "provider": "Great Lakes Association",
        "competency_areas": [
            {"code": "TF", "name": "Theoretical Foundations", "hours": "2.50"},
            {"code": "REF", "name": "Reflection", "hours": "1.00"},
        ],
        "sub_areas": ["TF.ATL"],
        "delivery_format": "live_webinar",
        "age_band": "infant",
        "dei": True,
        "rsc_topic": False,
        "kind": "platform_completion",
        "verification_tier": "platform_verified",
        "status": "valid",
        "revoked_on": None,
        "amended": [],
        "verification_url": f"http://testserver/verify/{a.verification_id}/",
    }
    revoked = document["training"][2]
    assert revoked["status"] == "revoked" and ISO_DATE.match(revoked["revoked_on"])
    # Totals leave the revoked record out: 6 + 3.5 (toddlers) + 3.5.
    assert document["totals"]["training_hours"] == "13.00"
    assert document["totals"]["records"] == 3
    assert document["totals"]["rsc_hours"] == "2.50"
    assert document["totals"]["rsc_hours_cosigned"] == "1.50"
    assert document["totals"]["dei_hours"] == "7.00"


def test_filters_by_date_range_and_category(portfolio):
    ifs = EndorsementCategory.objects.get(code="IFS")
    data = export_data(
        learner=portfolio["learner"],
        since=datetime.date(2019, 5, 3),  # the amended date of the external training
        until=datetime.date(2024, 2, 29),
        category=ifs,
    )
    titles = [line.facts.title for line in data.training]
    assert titles == ['=HYPERLINK("http://evil")', "Counted twice"]  # toddlers: other band
    assert [line.record.pk for line in data.rsc] == [portfolio["confirmed"].pk]
    document = exports.export_document(data)
    assert document["filters"] == {"since": "2019-05-03", "until": "2024-02-29", "category": "IFS"}


def test_pdf_lists_entries_rsc_log_and_revoked_apart(portfolio):
    pdf = exports.export_pdf(export_data(learner=portfolio["learner"]))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    squashed = "".join(text.split())
    assert "Trainingrecordforanendorsementapplication" in squashed
    assert "Attachmentinthefirst" in squashed
    assert "2019-05-03" in squashed and "RuthOkafor,IMHM-C" in squashed
    assert "Revokedrecords(notcounted)" in squashed
    revoked_part = squashed.split("Revokedrecords(notcounted)")[1]
    assert "Countedtwice" in revoked_part and "Countedtwice" not in squashed.split("Revoked")[0]


def test_export_views(client, portfolio):
    client.force_login(portfolio["learner"])
    page = client.get(reverse("endorsement:export"))
    assert page.status_code == 200 and "Download RSC log" in page.content.decode()
    csv_response = client.get(reverse("endorsement:export_csv"), {"since": "2024-01-01"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment; filename=" in csv_response["Content-Disposition"]
    assert len(csv_rows(csv_response.content.decode())) == 2
    json_response = client.get(reverse("endorsement:export_json"), {"category": "IFS"})
    assert len(json.loads(json_response.content)["training"]) == 3
    assert client.get(reverse("endorsement:export_pdf")).content.startswith(b"%PDF")
    rsc = client.get(reverse("endorsement:export_rsc"))
    assert len(csv_rows(rsc.content.decode())) == 3
    bad = client.get(
        reverse("endorsement:export_csv"), {"since": "2024-02-01", "until": "2024-01-01"}
    )
    assert bad.status_code == 400 and "must not be before" in bad.content.decode()
    assert client.get(reverse("endorsement:export_json"), {"category": "NOPE"}).status_code == 400
    # Another learner's export has none of these records.
    client.force_login(UserFactory())
    assert len(csv_rows(client.get(reverse("endorsement:export_csv")).content.decode())) == 1


def test_export_training_record_command(portfolio):
    out = io.StringIO()
    call_command("export_training_record", user="LEE@example.org", format="csv", stdout=out)
    assert out.getvalue() == exports.training_csv(export_data(learner=portfolio["learner"]))
    out = io.StringIO()
    call_command(
        "export_training_record",
        user="lee@example.org",
        format="json",
        since="2024-01-01",
        stdout=out,
    )
    document = json.loads(out.getvalue())
    assert [e["date"] for e in document["training"]] == ["2024-03-14"]
    assert len(document["rsc_sessions"]) == 2
    out = io.StringIO()
    args = ["--user", "lee@example.org", "--format", "csv", "--rsc"]
    call_command("export_training_record", *args, stdout=out)
    assert out.getvalue().splitlines()[0] == RSC_HEADER
    with pytest.raises(CommandError, match="No user"):
        call_command("export_training_record", user="who@example.org", format="csv")
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "export_training_record", user="lee@example.org", format="csv", since="2024-13-01"
        )


# The labels the next test reads, as the Spanish catalog has them. The test compiles them into a
# catalog of its own, so it does not depend on the project's catalog being built.
SPANISH = {
    "Training record for an endorsement application": (
        "Registro de capacitación para una solicitud de Respaldo"
    ),
    "Training entries": "Entradas de capacitación",
    "Reflective supervision/consultation log": "Registro de supervisión/consulta reflexiva",
    "Revoked records (not counted)": "Registros revocados (no se cuentan)",
    "Record ID": "ID del registro",
    "Duration (clock hours)": "Duración (horas reloj)",
    "Record kind": "Tipo de registro",
    "Platform completion": "Finalización en la plataforma",
    "yes": "sí",
}


@pytest.fixture
def spanish_catalog(tmp_path, settings):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    entries = "".join(f'msgid "{en}"\nmsgstr "{es}"\n\n' for en, es in SPANISH.items())
    (folder / "django.po").write_text(header + entries, encoding="utf-8")
    subprocess.run(
        ["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True
    )
    settings.LOCALE_PATHS = [tmp_path]  # Django forgets the catalogs it had loaded
    return SPANISH


def pdf_words(pdf: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


FACT = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d+\.\d{2}\b")


def test_a_spanish_reader_gets_spanish_labels_and_the_same_facts(
    client, portfolio, spanish_catalog
):
    english = export_data(learner=portfolio["learner"])
    set_preferred_language(user=portfolio["learner"], language="es")
    learner = User.objects.get(pk=portfolio["learner"].pk)
    spanish = export_data(learner=learner)
    assert (english.language, spanish.language) == ("en", "es")

    en_pdf, es_pdf = pdf_words(exports.export_pdf(english)), pdf_words(exports.export_pdf(spanish))
    assert "Registro de capacitación para una solicitud de Respaldo" in es_pdf
    assert "Registros revocados (no se cuentan)" in es_pdf
    assert "Training record for an endorsement application" in en_pdf
    assert "Training record for" not in es_pdf and "Revoked records" not in es_pdf
    # The facts as recorded: every date and hour figure, titles, names and links.
    assert sorted(FACT.findall(es_pdf)) == sorted(FACT.findall(en_pdf))
    assert len(FACT.findall(en_pdf)) > 10
    for fact in ("Attachment in the first", "Counted twice", "Ruth Okafor, IMHM-C", "Lee Parker"):
        squashed = fact.replace(" ", "")  # a table cell may wrap a title over lines
        assert squashed in en_pdf.replace(" ", "") and squashed in es_pdf.replace(" ", "")

    en_rows = csv_rows(exports.training_csv(english))
    es_rows = csv_rows(exports.training_csv(spanish))
    header = es_rows[0]
    assert (header[0], header[2], header[13]) == (
        "ID del registro",
        "Duración (horas reloj)",
        "Tipo de registro",
    )
    facts_columns = [0, 1, 2, 3, 4, 5, 6, 18]  # id, date, hours, title, topic, people, link
    for en_row, es_row in zip(en_rows[1:], es_rows[1:], strict=True):
        assert [es_row[i] for i in facts_columns] == [en_row[i] for i in facts_columns]
    attachment = es_rows[4]
    assert attachment[11] == "sí" and attachment[13] == "Finalización en la plataforma"
    # The JSON is for machines: the same whatever the reader's language.
    en_doc, es_doc = exports.export_document(english), exports.export_document(spanish)
    en_doc.pop("generated_at"), es_doc.pop("generated_at")
    assert es_doc == en_doc

    # The download: in the learner's language whatever the browser asks for.
    client.force_login(learner)
    page = client.get(reverse("endorsement:export_pdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Registro de capacitación para una solicitud de Respaldo" in pdf_words(page.content)

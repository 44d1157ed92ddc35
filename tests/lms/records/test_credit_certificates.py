"""Certificates, verification, transcripts and rosters of continuing-education credit.

A training offers social work CE (3.0 contact hours, ethics, the learner's social work license
on the certificate) and early-childhood registry hours (3.0): each claimed credit has its own
certificate with what its board requires, its own public verification page, and appears on
the learner's transcript of that kind; the association's roster lists who claimed what.
"""

import csv
import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import LicenseProfession, ProfessionalLicense
from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import Role
from lms.records.credit_documents import credit_certificate_pdf
from lms.records.models import RecordEvent, TrainingRecord
from lms.records.models_credits import (
    CreditCategory,
    CreditClaim,
    CreditKind,
    CreditUnit,
    RecordCredit,
)
from lms.records.selectors.credits import claimed_credit
from lms.records.services.amendments import amend_record, revoke_record
from tests.courses.factories import member
from tests.factories import UserFactory

from .credit_builders import REGISTRY_STATEMENT, SW_STATEMENT, earn, registry, social_work
from .factories import issue

pytestmark = pytest.mark.django_db


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", info).group(1))


def pdf_text(data: bytes, *, mode: str = "-layout") -> str:
    """The PDF's words; ``-raw`` keeps a table's cells in the order they were drawn."""
    result = subprocess.run(
        ["pdftotext", mode, "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def rosa(db):
    return UserFactory(first_name="Rosa", last_name="Delgado", email="rosa@example.org")


@pytest.fixture
def training(great_lakes, rosa):
    """Rosa's completion of a training offering SW CE (3.0, ethics) and registry hours (3.0),
    both claimed, the first with her social work license."""
    record = issue(
        rosa,
        provider_organization=great_lakes,
        provider_name=great_lakes.name,
        title="Ethics in home visiting",
        completed_on=datetime.date(2025, 4, 10),
        duration_hours=Decimal("3.00"),
        area_hours={"TF": Decimal("3.00")},
        facilitators=[{"name": "Dana Whitfield", "credentials": "LMSW, IMH-E"}],
    )
    sw = earn(
        record,
        social_work(great_lakes),
        category=CreditCategory.ETHICS,
        license_number="6801-094417",
        license_jurisdiction="Michigan",
    )
    reg = earn(record, registry(great_lakes), category=CreditCategory.CHILD_DEVELOPMENT)
    return record, sw, reg


def fresh(credit) -> RecordCredit:
    return claimed_credit(verification_id=credit.verification_id)


def test_each_kinds_certificate_shows_what_its_board_requires(training):
    record, sw, reg = training
    sw_pdf = credit_certificate_pdf(fresh(sw))
    assert pdf_pages(sw_pdf) == 1, "a certificate is one page, statement and all"
    sw_text = pdf_text(sw_pdf)
    squashed = sw_text.replace(" ", "")
    for element in (
        "Social work CE",
        "Michigan Social Work Continuing Education Collaborative",
        "Issued by Great Lakes Association",
        "Rosa Delgado",
        "Ethics in home visiting",
        "3 contact hours",
        "Ethics",
        "MICEC-1187",  # the provider's approval number
        f"SW-CE-C-{record.pk}",  # the course's approval number
        "April 10, 2025",
        "Live webinar",
        "Dana Whitfield, LMSW, IMH-E",
        "Social work license: 6801-094417 (Michigan)",
    ):
        assert element in sw_text, element
    # The board's statement word for word (pdftotext may re-space wrapped lines).
    assert SW_STATEMENT.replace(" ", "") in squashed
    assert f"/verify/credits/{sw.verification_id}/" in squashed

    reg_text = pdf_text(credit_certificate_pdf(fresh(reg)))
    for element in (
        "Registry hours",
        "Michigan Early Childhood Registry",
        REGISTRY_STATEMENT,
        "REG-0042",
        f"REGISTRY-C-{record.pk}",
        "Child growth and development",
        "3 contact hours",
        "Dana Whitfield, LMSW, IMH-E",
        "Rosa Delgado",
    ):
        assert element in reg_text, element
    # The license number goes on the certificate whose board asks for it, and only there.
    assert "6801-094417" not in reg_text
    assert "license" not in reg_text.lower()
    assert SW_STATEMENT.replace(" ", "") not in reg_text.replace(" ", "")


def test_ceus_show_the_contact_hours_behind_them(great_lakes, rosa):
    record = issue(rosa, provider_organization=great_lakes)
    nursing = CreditKind.objects.create(
        organization=great_lakes,
        name="Nursing CE",
        code="rn",
        awarding_body="State Board of Nursing",
        unit=CreditUnit.CEUS,
        hours_per_unit=Decimal("10"),
        certificate_statement="Approved for 0.3 CEU.",
    )
    credit = earn(record, nursing, amount="0.3")
    text = pdf_text(credit_certificate_pdf(fresh(credit)))
    assert "0.3 CEUs (3 contact hours)" in text


def test_the_certificate_follows_the_learners_language(training, rosa):
    _record, sw, _reg = training
    text = pdf_text(credit_certificate_pdf(fresh(sw), language="es"))
    assert "Se certifica que" in text
    assert "This certifies that" not in text
    # The board's wording is never translated.
    assert SW_STATEMENT.replace(" ", "") in text.replace(" ", "")


def test_the_learner_downloads_each_certificate_and_the_download_is_logged(client, training, rosa):
    record, sw, reg = training
    client.force_login(rosa)
    for credit in (sw, reg):
        response = client.get(reverse("records:credit_certificate", args=[credit.verification_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    events = RecordEvent.objects.filter(record=record, kind=RecordEvent.Kind.CERTIFICATE_DOWNLOADED)
    assert {e.detail["credit"] for e in events} == {
        str(sw.verification_id),
        str(reg.verification_id),
    }


def test_the_record_page_links_each_claimed_credits_certificate(client, training, rosa):
    record, sw, reg = training
    CreditClaim.objects.filter(credit=reg).update(withdrawn_at=timezone.now())
    client.force_login(rosa)
    html = client.get(reverse("records:detail", args=[record.verification_id])).content.decode()
    assert reverse("records:credit_certificate", args=[sw.verification_id]) in html
    assert reverse("records:credit_certificate", args=[reg.verification_id]) not in html


def test_staff_of_the_issuing_association_may_download_others_may_not(
    client, training, great_lakes, prairie
):
    _record, sw, _reg = training
    url = reverse("records:credit_certificate", args=[sw.verification_id])
    client.force_login(member(great_lakes, Role.REVIEWER))
    assert client.get(url).status_code == 200
    for stranger in (UserFactory(), member(prairie, Role.ADMIN)):
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_a_withdrawn_claim_or_a_revoked_record_gets_a_refusal_not_a_pdf(client, training, rosa):
    record, sw, reg = training
    client.force_login(rosa)
    CreditClaim.objects.filter(credit=reg).update(withdrawn_at=timezone.now())
    response = client.get(reverse("records:credit_certificate", args=[reg.verification_id]))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "claim was withdrawn" in response.content.decode()

    revoke_record(record=record, by=UserFactory(), reason="Attendance not confirmed")
    response = client.get(reverse("records:credit_certificate", args=[sw.verification_id]))
    assert response.status_code == 409
    assert "was revoked" in response.content.decode()
    assert not RecordEvent.objects.filter(kind=RecordEvent.Kind.CERTIFICATE_DOWNLOADED).exists()


def test_a_credit_never_claimed_has_no_certificate_and_no_verification(client, great_lakes, rosa):
    record = issue(rosa, provider_organization=great_lakes)
    unclaimed = earn(record, registry(great_lakes), claim=False)
    client.force_login(rosa)
    cert = reverse("records:credit_certificate", args=[unclaimed.verification_id])
    assert client.get(cert).status_code == 404
    assert (
        client.get(reverse("records:verify_credit", args=[unclaimed.verification_id])).status_code
        == 404
    )


def test_the_public_verification_page_shows_the_credit_without_the_license(client, training):
    record, sw, _reg = training
    response = client.get(reverse("records:verify_credit", args=[sw.verification_id]))
    assert response.status_code == 200
    html = response.content.decode()
    for element in (
        "Valid",
        "Rosa Delgado",
        "Ethics in home visiting",
        "Social work CE",
        "Michigan Social Work Continuing Education Collaborative",
        "3 contact hours",
        "Ethics",
        "MICEC-1187",
        f"SW-CE-C-{record.pk}",
        "April 10, 2025",
    ):
        assert element in html, element
    assert "6801-094417" not in html
    assert "rosa@example.org" not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_says_withdrawn_and_revoked(client, training):
    record, sw, reg = training
    CreditClaim.objects.filter(credit=reg).update(withdrawn_at=timezone.now())
    html = client.get(reverse("records:verify_credit", args=[reg.verification_id])).content
    assert b"Withdrawn" in html
    revoke_record(record=record, by=UserFactory(), reason="Attendance not confirmed")
    html = client.get(reverse("records:verify_credit", args=[sw.verification_id])).content
    assert b"Revoked" in html and b"Attendance not confirmed" in html


# --- The learner's credit transcript -------------------------------------------------------


def _transcript(client, kind, start="2025-01-01", end="2025-12-31", **extra):
    params = {"kind": kind.pk, "start": start, "end": end, **extra}
    return client.get(reverse("records:credit_transcript"), params)


@pytest.fixture
def year_of_credit(training, great_lakes, rosa):
    """A second SW CE training in range (general, 2.0), one revoked (1.5), one outside the
    range, and registry hours on the first only."""
    _record, sw, reg = training
    kind = sw.kind

    def more(title, day, amount, category):
        r = issue(
            rosa,
            provider_organization=great_lakes,
            provider_name=great_lakes.name,
            title=title,
            completed_on=day,
            facilitators=[{"name": "Morgan Ellis", "credentials": "PhD"}],
        )
        earn(r, kind, amount=amount, category=category, license_number="6801-094417")
        return r

    more("Attachment across cultures", datetime.date(2025, 9, 2), "2.0", CreditCategory.GENERAL)
    revoked = more("Withdrawn module", datetime.date(2025, 6, 1), "1.5", CreditCategory.GENERAL)
    revoke_record(record=revoked, by=UserFactory(), reason="Duplicate")
    more("An older course", datetime.date(2023, 5, 5), "4.0", CreditCategory.ETHICS)
    ProfessionalLicense.objects.create(
        user=rosa,
        profession=LicenseProfession.SOCIAL_WORK,
        number="6801-094417",
        jurisdiction="Michigan",
    )
    return kind, reg.kind


def test_transcript_csv_lists_the_kinds_credits_in_the_range_with_totals(
    client, rosa, year_of_credit
):
    sw_kind, _reg_kind = year_of_credit
    client.force_login(rosa)
    response = _transcript(client, sw_kind, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["Learner", "Rosa Delgado"]
    assert rows[2] == ["Social work license", "6801-094417", "Michigan"]
    header = rows.index(next(r for r in rows if r and r[0] == "Date"))
    lines = [
        dict(zip(rows[header], r, strict=False))
        for r in rows[header + 1 :]
        if r and r[0][:2] == "20"
    ]
    assert [(r["Date"], r["Title"], r["Status"]) for r in lines] == [
        ("2025-04-10", "Ethics in home visiting", "Claimed"),
        ("2025-06-01", "Withdrawn module", "Revoked"),
        ("2025-09-02", "Attachment across cultures", "Claimed"),
    ]
    first = lines[0]
    assert first["Provider approval number"] == "MICEC-1187"
    assert first["Category"] == "Ethics"
    assert first["Amount"] == "3.00"
    assert first["Contact hours"] == "3.00"
    assert first["Presenters"] == "Dana Whitfield, LMSW, IMH-E"
    assert "/verify/credits/" in first["Verification URL"]
    totals = {r[1]: (r[6], r[8]) for r in rows if r and r[0] == "Total"}
    # The revoked 1.5 is listed and not counted; the 2023 course is outside the range.
    assert totals == {
        "Ethics": ("3.00", "3.00"),
        "General": ("2.00", "2.00"),
        "All categories": ("5.00", "5.00"),
    }


def test_transcript_pdf_has_the_learner_license_once_and_the_totals(client, rosa, year_of_credit):
    sw_kind, reg_kind = year_of_credit
    client.force_login(rosa)
    response = _transcript(client, sw_kind, format="pdf")
    assert response.status_code == 200
    text = pdf_text(response.content, mode="-raw")
    assert "Credit transcript: Social work CE" in text
    assert "Rosa Delgado" in text
    assert text.count("6801-094417") == 1
    assert "Attachment across cultures" in text
    assert "Withdrawn module" in text and "revoked, not counted" in text
    assert "An older course" not in text
    assert "All categories 5" in text
    reg_text = pdf_text(_transcript(client, reg_kind, format="pdf").content, mode="-raw")
    assert "6801-094417" not in reg_text
    assert "Attachment across cultures" not in reg_text
    assert "Ethics in home visiting" in reg_text


def test_transcript_page_shows_an_empty_range_and_form_errors_never_500(
    client, rosa, year_of_credit, great_lakes
):
    sw_kind, _ = year_of_credit
    client.force_login(rosa)
    page = client.get(reverse("records:credit_transcript"))
    assert page.status_code == 200
    assert b"Social work CE" in page.content
    empty = _transcript(client, sw_kind, start="2019-01-01", end="2019-12-31")
    assert empty.status_code == 200
    assert b"You claimed no Social work CE credit for training completed in this period" in (
        empty.content
    )
    never = CreditKind.objects.create(
        organization=great_lakes,
        name="Psychology CE",
        code="psy",
        awarding_body="APA",
        certificate_statement="-",
    )
    for params, message in (
        ({"kind": sw_kind.pk, "start": "2025-12-31", "end": "2025-01-01"}, b"must not be before"),
        ({"kind": sw_kind.pk, "start": "yesterday", "end": "2025-01-01"}, b"Enter a valid date"),
        ({"kind": never.pk, "start": "2025-01-01", "end": "2025-12-31"}, b"not claimed a credit"),
        ({"kind": "9" * 30, "start": "2025-01-01", "end": "2025-12-31"}, b"not claimed a credit"),
    ):
        for fmt in ("", "pdf", "csv"):
            response = client.get(reverse("records:credit_transcript"), {**params, "format": fmt})
            assert response.status_code == 200, params
            assert response["Content-Type"].startswith("text/html")
            assert message in response.content, (params, response.content[-2000:])


def test_another_learner_sees_none_of_rosas_kinds(client, year_of_credit):
    sw_kind, _ = year_of_credit
    client.force_login(UserFactory())
    response = _transcript(client, sw_kind, format="csv")
    assert response["Content-Type"].startswith("text/html")
    assert b"Rosa" not in response.content
    assert b"You have not claimed any continuing-education credit yet" in response.content


def test_an_amended_date_moves_the_credit_into_the_range(client, rosa, training):
    record, sw, _ = training
    amend_record(
        record=TrainingRecord.objects.get(pk=record.pk),
        by=UserFactory(),
        reason="Held a year later",
        completed_on=datetime.date(2026, 4, 10),
    )
    client.force_login(rosa)
    old = _transcript(client, sw.kind, format="csv").content.decode()
    assert "Ethics in home visiting" not in old
    new = _transcript(client, sw.kind, start="2026-01-01", end="2026-12-31", format="csv")
    assert "2026-04-10,Ethics in home visiting" in new.content.decode()


def test_the_transcript_reads_in_a_fixed_number_of_queries(
    client, rosa, great_lakes, django_assert_max_num_queries
):
    kind = registry(great_lakes)
    for n in range(12):
        earn(
            issue(
                rosa, provider_organization=great_lakes, completed_on=datetime.date(2025, 1, n + 1)
            ),
            kind,
        )
    client.force_login(rosa)
    with django_assert_max_num_queries(14):
        response = _transcript(client, kind, format="csv")
    assert response.content.decode().count("/verify/credits/") == 12


# --- The association's roster --------------------------------------------------------------


def _roster(client, kind, **extra):
    params = {"kind": kind.pk, "start": "2025-01-01", "end": "2025-12-31", **extra}
    return client.get(reverse("records_admin:credit_roster"), params)


def test_roster_csv_lists_who_claimed_what_and_is_audited(client, training, great_lakes, rosa):
    _record, sw, _reg = training
    other = UserFactory(first_name="Lee", last_name="Park")
    earn(
        issue(other, provider_organization=great_lakes, completed_on=datetime.date(2025, 5, 1)),
        sw.kind,
        license_number="6801-100200",
        license_jurisdiction="Ohio",
    )
    admin = member(great_lakes, Role.ADMIN)
    client.force_login(admin)
    page = client.get(reverse("records_admin:credit_roster"))
    assert page.status_code == 200
    response = _roster(client, sw.kind, format="csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["Learner"], r["License number"], r["Licensing state"]) for r in rows] == [
        ("Rosa Delgado", "6801-094417", "Michigan"),
        ("Lee Park", "6801-100200", "Ohio"),
    ]
    assert {r["Category"] for r in rows} == {"Ethics", "General"}
    assert all(r["Status"] == "Claimed" for r in rows)
    event = AuditEvent.objects.get(action=AuditAction.DATA_EXPORTED)
    assert event.organization_id == great_lakes.pk


def test_roster_is_scoped_to_the_readers_associations(client, training, great_lakes, prairie):
    _record, sw, _reg = training
    prairie_kind = registry(prairie)
    client.force_login(member(prairie, Role.ADMIN))
    response = _roster(client, sw.kind, format="csv")
    assert response["Content-Type"].startswith("text/html")
    assert b"Choose one of your associations" in response.content
    assert b"Rosa" not in response.content
    assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).exists()
    own = _roster(client, prairie_kind, format="csv")
    assert own.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(own.content.decode())))) == 0
    client.force_login(UserFactory())
    assert _roster(client, sw.kind).status_code in (302, 403)

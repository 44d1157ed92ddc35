"""Documents for continuing-education credit: a certificate per claimed credit, a learner's
credit transcript for one kind (PDF and CSV) and an association's roster of claims (CSV).

A certificate carries what a board asks of one: the approval statement word for word, the
provider's and the course's approval numbers, the awarding body, the category, the amount in
its unit (and the contact hours behind CEUs), the training, its date and format, the
presenters with their credentials, the learner, and their license number when the kind asks
for one. The license number is printed on that certificate and that kind's transcript only;
the public verification page never shows it.

Like the completion certificate (``documents.py``), every document is rendered in the
learner's language; labels are translated, facts stay as issued.
"""

import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .documents import branding_for, qr_data_uri, render_pdf
from .facts import facts_for
from .language import document_language
from .links import public_url, verification_url
from .models_credits import CreditUnit, RecordCredit
from .selectors.credits import CreditLine, CreditTranscript
from .spreadsheets import SpreadsheetWriter


def credit_verification_url(credit: RecordCredit) -> str:
    return public_url(reverse("records:verify_credit", args=[credit.verification_id]))


def is_ceus(credit: RecordCredit) -> bool:
    return credit.unit == CreditUnit.CEUS


def _amount(value) -> str:
    return f"{value:.2f}"


def shows_license(credit: RecordCredit) -> bool:
    """The license number goes on a certificate only when the kind asks for it."""
    return bool(credit.license_profession and credit.claim.license_number)


def credit_certificate_context(credit: RecordCredit) -> dict:
    record = credit.record
    url = credit_verification_url(credit)
    return {
        "credit": credit,
        "claim": credit.claim,
        "record": record,
        "facts": facts_for(record),
        "learner_name": record.learner.public_name or record.learner.email,
        "show_license": shows_license(credit),
        "is_ceus": is_ceus(credit),
        "verification_url": url,
        "qr": qr_data_uri(url),
        "branding": branding_for(record),
    }


def credit_certificate_html(credit: RecordCredit, *, language: str | None = None) -> str:
    with translation.override(language or document_language(user=credit.record.learner)):
        return render_to_string(
            "records/credit_certificate_pdf.html", credit_certificate_context(credit)
        )


def credit_certificate_pdf(credit: RecordCredit, *, language: str | None = None) -> bytes:
    return render_pdf(credit_certificate_html(credit, language=language))


def _learner_name(learner) -> str:
    return learner.public_name or learner.email


def credit_transcript_html(transcript: CreditTranscript, *, language: str | None = None) -> str:
    with translation.override(language or document_language(user=transcript.learner)):
        return render_to_string(
            "records/credit_transcript_pdf.html",
            {
                "transcript": transcript,
                "learner_name": _learner_name(transcript.learner),
                "rows": [(line, credit_verification_url(line.credit)) for line in transcript.lines],
            },
        )


def credit_transcript_pdf(transcript: CreditTranscript, *, language: str | None = None) -> bytes:
    return render_pdf(credit_transcript_html(transcript, language=language))


def _line_status(line: CreditLine) -> str:
    if line.is_revoked:
        return _("Revoked")
    if line.is_withdrawn:
        # Translators: a credit the learner claimed and later withdrew.
        return _("Withdrawn")
    # Translators: a credit the learner claimed, still valid.
    return _("Claimed")


def credit_transcript_csv(transcript: CreditTranscript, *, language: str | None = None) -> str:
    """A header block (learner, license, kind, range), one row per credit, then the totals
    per category and overall. Dates stay ISO and amounts keep a decimal point, so that a
    spreadsheet reads them whatever the language."""
    with translation.override(language or document_language(user=transcript.learner)):
        return _credit_transcript_csv(transcript)


def _credit_transcript_csv(transcript: CreditTranscript) -> str:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    kind = transcript.kind
    writer.writerow([_("Credit transcript"), kind.name])
    writer.writerow([_("Learner"), _learner_name(transcript.learner)])
    if kind.license_profession:
        writer.writerow(
            [
                kind.get_license_profession_display(),
                transcript.license_number or _("Not given"),
                transcript.license_jurisdiction,
            ]
        )
    writer.writerow([_("Awarding body"), kind.awarding_body])
    writer.writerow([_("From"), transcript.start.isoformat(), _("To"), transcript.end.isoformat()])
    writer.writerow([])
    writer.writerow(
        [
            _("Date"),
            _("Title"),
            _("Provider"),
            _("Provider approval number"),
            _("Course approval number"),
            _("Category"),
            _("Amount"),
            _("Unit"),
            _("Contact hours"),
            _("Presenters"),
            _("Status"),
            _("Verification URL"),
        ]
    )
    for line in transcript.lines:
        credit, facts = line.credit, line.facts
        writer.writerow(
            [
                facts.completed_on.isoformat(),
                facts.title,
                facts.provider_name,
                credit.provider_approval_number,
                credit.course_approval_number,
                credit.get_category_display(),
                _amount(credit.amount),
                credit.get_unit_display(),
                _amount(credit.contact_hours),
                facts.facilitator_names,
                _line_status(line),
                credit_verification_url(credit),
            ]
        )
    writer.writerow([])
    # Translators: a CSV row heading: the credits counted in one category, or in all.
    total_label = _("Total")
    for total in transcript.by_category:
        amounts = [_amount(total.amount), "", _amount(total.contact_hours)]
        writer.writerow([total_label, total.label, "", "", "", "", *amounts])
    amounts = [_amount(transcript.amount), "", _amount(transcript.contact_hours)]
    writer.writerow([total_label, _("All categories"), "", "", "", "", *amounts])
    return out.getvalue()


def credit_roster_csv(lines: list[CreditLine], *, out) -> None:
    """The association's roster of one kind's claims, written to ``out`` (a response)."""
    writer = SpreadsheetWriter(out)
    writer.writerow(
        [
            _("Date"),
            _("Learner"),
            _("E-mail"),
            _("License"),
            _("License number"),
            _("Licensing state"),
            _("Title"),
            _("Category"),
            _("Amount"),
            _("Unit"),
            _("Contact hours"),
            _("Course approval number"),
            _("Provider approval number"),
            _("Presenters"),
            _("Best post-test score (%)"),
            _("Attendance (%)"),
            _("Claimed on"),
            _("Status"),
            _("Record"),
            _("Verification URL"),
        ]
    )
    for line in lines:
        credit, facts, claim, learner = line.credit, line.facts, line.claim, line.record.learner
        writer.writerow(
            [
                facts.completed_on.isoformat(),
                learner.get_full_name(),
                learner.email,
                credit.get_license_profession_display(),
                claim.license_number,
                claim.license_jurisdiction,
                facts.title,
                credit.get_category_display(),
                _amount(credit.amount),
                credit.get_unit_display(),
                _amount(credit.contact_hours),
                credit.course_approval_number,
                credit.provider_approval_number,
                facts.facilitator_names,
                "" if credit.best_score_percent is None else _amount(credit.best_score_percent),
                "" if credit.attendance_percent is None else _amount(credit.attendance_percent),
                claim.claimed_at.date().isoformat(),
                _line_status(line),
                verification_url(line.record),
                credit_verification_url(credit),
            ]
        )

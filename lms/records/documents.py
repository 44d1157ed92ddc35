"""PDF and CSV documents: certificates, transcripts and their QR codes.

WeasyPrint renders Django templates to PDF. Images (logos, signatures, the QR code) are
inlined as data URIs so rendering never fetches anything over the network.

Documents are the learner's: each is rendered in the learner's language (``language.py``),
whoever downloads it. Labels are translated; the facts (title, provider, dates, hours, codes)
are shown exactly as issued.
"""

import base64
import io
import logging

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage

from lms.organizations.branding import brand_for_organization

from .facts import facts_for
from .language import document_language
from .links import public_url, verification_url
from .models import DEFAULT_HEADING as STORED_DEFAULT_HEADING
from .models import CertificateTemplate, TrainingRecord
from .spreadsheets import SpreadsheetWriter

logger = logging.getLogger(__name__)

DEFAULT_HEADING = gettext_lazy("Certificate of completion")


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _image_data_uri(image, spec: str) -> str:
    """A Wagtail image as a data URI, or "" when the file is missing (logged, not fatal:
    a certificate without a logo is better than no certificate)."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
        with PILImage.open(io.BytesIO(data)) as probe:
            mime = PILImage.MIME.get(probe.format, "image/png")
    except (OSError, ValueError) as exc:
        logger.warning("Certificate image %s unreadable: %s", image.pk, exc)
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_template_for(record: TrainingRecord) -> CertificateTemplate | None:
    if record.provider_organization_id is None:
        return None
    return CertificateTemplate.objects.filter(
        organization_id=record.provider_organization_id
    ).first()


def branding_for(record: TrainingRecord) -> dict:
    """The issuer's brand (an association's logo, name and colours, or Attune's), which the
    issuer's certificate template, if it has one, may override."""
    template = certificate_template_for(record)
    organization = record.provider_organization
    brand = brand_for_organization(organization)
    issuer = {
        "issuer": brand.name,
        "issuer_short_name": brand.short_name,
        "issuer_is_platform": brand.is_platform,
    }
    brand_logo = brand.logo_image or getattr(organization, "logo", None)
    if template is None:
        return {
            **issuer,
            "heading": DEFAULT_HEADING,
            "primary_colour": brand.colour,
            "accent_colour": brand.accent,
            "logo": _image_data_uri(brand_logo, "max-600x240"),
        }
    heading = template.heading
    if heading.strip() == STORED_DEFAULT_HEADING:
        heading = DEFAULT_HEADING
    return {
        **issuer,
        "heading": heading,
        "primary_colour": template.primary_colour,
        "accent_colour": template.accent_colour,
        "logo": _image_data_uri(template.logo or brand_logo, "max-600x240"),
        "signature": _image_data_uri(template.signature_image, "max-500x160"),
        "signatory_name": template.signatory_name,
        "signatory_title": template.signatory_title,
        "footer_text": template.footer_text,
    }


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF requests need.
    from weasyprint import HTML

    return HTML(string=html, base_url=public_url("/")).write_pdf()


def certificate_context(record: TrainingRecord) -> dict:
    url = verification_url(record)
    return {
        "record": record,
        "facts": facts_for(record),
        "learner_name": record.learner.public_name or record.learner.email,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "branding": branding_for(record),
    }


def certificate_html(record: TrainingRecord, *, language: str | None = None) -> str:
    """The certificate's HTML in ``language`` (by default the learner's)."""
    with translation.override(language or document_language(user=record.learner)):
        return render_to_string("records/certificate_pdf.html", certificate_context(record))


def certificate_pdf(record: TrainingRecord, *, language: str | None = None) -> bytes:
    return render_pdf(certificate_html(record, language=language))


def transcript_html(transcript, *, language: str | None = None) -> str:
    learner = transcript.learner
    with translation.override(language or document_language(user=learner)):
        return render_to_string(
            "records/transcript_pdf.html",
            {"transcript": transcript, "learner_name": learner.public_name or learner.email},
        )


def transcript_pdf(transcript, *, language: str | None = None) -> bytes:
    return render_pdf(transcript_html(transcript, language=language))


def transcript_csv(transcript, *, language: str | None = None) -> str:
    """One row per record, in the columns an endorsement application's training tab asks
    for, then the hours per competency area. Headers and labels in the learner's language;
    dates (ISO) and hours (a decimal point) stay machine-readable."""
    with translation.override(language or document_language(user=transcript.learner)):
        return _transcript_csv(transcript)


def _transcript_csv(transcript) -> str:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    area_codes = [a.code for a in transcript.areas]
    writer.writerow(
        [
            _("Date"),
            _("Title"),
            _("Topic"),
            _("Provider"),
            _("Facilitators"),
            _("Clock hours"),
            _("Delivery"),
            # Translators: a CSV column: a training, or an RSC session.
            _("Kind"),
            _("Verification tier"),
            _("Status"),
            # Translators: a CSV column: whether the training has diversity, equity and
            # inclusion content.
            _("DEI"),
            # Translators: a CSV column: whether the training is about reflective
            # supervision/consultation.
            _("RSC topic"),
            # Translators: a CSV column: the hours credited to one competency area (its code).
            *[_("%(code)s hours") % {"code": code} for code in area_codes],
            _("Verification URL"),
        ]
    )
    for line in transcript.lines:
        facts, record = line.facts, line.record
        by_area = facts.hours_by_area
        writer.writerow(
            [
                facts.completed_on.isoformat(),
                facts.title,
                facts.topic,
                facts.provider_name,
                facts.facilitator_names,
                f"{facts.duration_hours:.2f}",
                facts.delivery_format_label,
                _("RSC session") if line.is_rsc else _("Training"),
                record.get_verification_tier_display(),
                record.get_status_display(),
                _("yes") if facts.dei else _("no"),
                _("yes") if facts.rsc_topic else _("no"),
                *[f"{by_area[c]:.2f}" if c in by_area else "" for c in area_codes],
                verification_url(record),
            ]
        )
    return out.getvalue()

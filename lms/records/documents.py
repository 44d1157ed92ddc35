"""PDF and CSV documents: certificates, transcripts and their QR codes.

WeasyPrint renders Django templates to PDF. Images (logos, signatures, the QR code) are
inlined as data URIs so rendering never fetches anything over the network.
"""

import base64
import io
import logging

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from lms.organizations.branding import brand_for_organization

from .facts import facts_for
from .links import public_url, verification_url
from .models import CertificateTemplate, TrainingRecord
from .spreadsheets import SpreadsheetWriter

logger = logging.getLogger(__name__)

DEFAULT_HEADING = _("Certificate of completion")


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
    return {
        **issuer,
        "heading": template.heading,
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


def certificate_html(record: TrainingRecord) -> str:
    return render_to_string("records/certificate_pdf.html", certificate_context(record))


def certificate_pdf(record: TrainingRecord) -> bytes:
    return render_pdf(certificate_html(record))


def transcript_pdf(transcript) -> bytes:
    learner = transcript.learner
    html = render_to_string(
        "records/transcript_pdf.html",
        {"transcript": transcript, "learner_name": learner.public_name or learner.email},
    )
    return render_pdf(html)


def transcript_csv(transcript) -> str:
    """One row per record, in the columns an endorsement application's training tab asks
    for, then the hours per competency area."""
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    area_codes = [a.code for a in transcript.areas]
    writer.writerow(
        [
            "Date",
            "Title",
            "Topic",
            "Provider",
            "Facilitators",
            "Clock hours",
            "Delivery",
            "Kind",
            "Verification tier",
            "Status",
            "DEI",
            "RSC topic",
            *[f"{code} hours" for code in area_codes],
            "Verification URL",
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
                "RSC session" if line.is_rsc else "Training",
                record.get_verification_tier_display(),
                record.get_status_display(),
                "yes" if facts.dei else "no",
                "yes" if facts.rsc_topic else "no",
                *[f"{by_area[c]:.2f}" if c in by_area else "" for c in area_codes],
                verification_url(record),
            ]
        )
    return out.getvalue()

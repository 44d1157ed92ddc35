"""The application export: training entries and the RSC log as CSV, JSON and PDF.

One row (or JSON object) per record, in the order an endorsement application's training tab
asks for them: date, duration, facilitator, title/topic, provider, competency areas and a
verification link. Dates are ISO 8601 (``2024-03-14``); hours are decimals with two places
(``3.50``; strings in JSON, so no reader turns them into binary floats).

Amended records show their amended values and say which fields were amended. Revoked
records are listed, not dropped, with status ``revoked`` and the day they were revoked, so
that the export matches the learner's transcript; their hours are not in the totals, and
the PDF lists them apart under "Revoked records (not counted)".

The CSV and the PDF are written in the learner's language (``ExportData.language``): their
labels and headers are translated, the facts (dates, hours, titles, names) stay as recorded.
The JSON is for machines: its keys and values never change with the language.
"""

import io
import json
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.records.documents import render_pdf
from lms.records.models import (
    CosignStatus,
    DeliveryFormat,
    RecordAgeBand,
    RecordStatus,
    SessionFormat,
    VerificationTier,
)
from lms.records.spreadsheets import SpreadsheetWriter

from .selectors.exports import ExportData, ExportLine

TRAINING_COLUMNS = (
    ("record_id", _("Record ID")),
    ("date", _("Date")),
    ("duration_hours", _("Duration (clock hours)")),
    ("title", _("Title")),
    ("topic", _("Topic")),
    ("facilitators", _("Facilitators")),
    ("provider", _("Provider")),
    ("competency_areas", _("Competency areas")),
    ("sub_areas", _("Sub-areas")),
    ("delivery_format", _("Delivery")),
    ("age_band", _("Age band")),
    ("dei", _("DEI")),
    ("rsc_topic", _("About providing RSC")),
    ("kind", _("Record kind")),
    ("verification_tier", _("Verification tier")),
    ("status", _("Status")),
    ("revoked_on", _("Revoked on")),
    ("amended", _("Amended fields")),
    ("verification_url", _("Verification URL")),
)

RSC_COLUMNS = (
    ("record_id", _("Record ID")),
    ("date", _("Date")),
    ("duration_hours", _("Duration (clock hours)")),
    ("session_format", _("Format")),
    ("supervisor", _("Supervisor/consultant")),
    ("supervisor_endorsement", _("Supervisor endorsement")),
    ("topic", _("Topic")),
    ("rsc_topic", _("About providing RSC")),
    ("cosign_status", _("Co-signature")),
    ("verification_tier", _("Verification tier")),
    ("status", _("Status")),
    ("revoked_on", _("Revoked on")),
    ("amended", _("Amended fields")),
    ("verification_url", _("Verification URL")),
)


# CSV cells show these values by their labels; JSON keeps the machine values.
CSV_LABELS = {
    "verification_tier": VerificationTier,
    "status": RecordStatus,
    "delivery_format": DeliveryFormat,
    "age_band": RecordAgeBand,
    "cosign_status": CosignStatus,
    "session_format": SessionFormat,
}


# Record kinds by model: the JSON's machine value, and the CSV's label.
RECORD_KINDS = {
    "platformcompletion": "platform_completion",
    "liveattendance": "live_attendance",
    "externaltraining": "external_training",
    "rscsession": "rsc_session",
}
RECORD_KIND_LABELS = {
    "platform_completion": _("Platform completion"),
    "live_attendance": _("Live attendance"),
    "external_training": _("External training"),
    "rsc_session": _("RSC session"),
}


def record_kind(record) -> str:
    """``platform_completion``, ``live_attendance``, ``external_training`` or ``rsc_session``
    (whatever the language: the model's name, not its translated verbose name)."""
    model = record.polymorphic_ctype.model_class()._meta.model_name
    return RECORD_KINDS.get(model, model)


def decimal_hours(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _revoked_on(line: ExportLine) -> str | None:
    revoked_at = line.record.revoked_at
    return revoked_at.date().isoformat() if revoked_at else None


def _common(line: ExportLine) -> dict:
    record, facts = line.record, line.facts
    return {
        "record_id": str(record.verification_id),
        "date": facts.completed_on.isoformat(),
        "duration_hours": decimal_hours(facts.duration_hours),
        "topic": facts.topic,
        "rsc_topic": facts.rsc_topic,
        "verification_tier": record.verification_tier,
        "status": record.status,
        "revoked_on": _revoked_on(line),
        "amended": sorted(facts.amended_fields),
        "verification_url": line.verification_url,
    }


def training_entry(line: ExportLine) -> dict:
    """One training record as the JSON export writes it."""
    facts = line.facts
    return {
        **_common(line),
        "title": facts.title,
        "facilitators": [
            {"name": f.name, "credentials": f.credentials} for f in facts.facilitators
        ],
        "provider": facts.provider_name,
        "competency_areas": [
            {"code": a.code, "name": a.name, "hours": decimal_hours(a.hours)}
            for a in facts.area_hours
        ],
        "sub_areas": list(line.record.sub_area_codes or []),
        "delivery_format": facts.delivery_format,
        "age_band": facts.age_band,
        "dei": facts.dei,
        "kind": record_kind(line.record),
    }


def rsc_entry(line: ExportLine) -> dict:
    """One RSC session as the JSON export writes it."""
    record = line.record
    return {
        **_common(line),
        "session_format": record.rsc_session_format,
        "supervisor": record.rsc_supervisor_name,
        "supervisor_endorsement": record.rsc_supervisor_endorsement or "",
        "cosign_status": record.rsc_cosign_status,
    }


def _facilitator(entry: dict) -> str:
    return f"{entry['name']}, {entry['credentials']}" if entry["credentials"] else entry["name"]


def _cell(key: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "facilitators":
        return "; ".join(_facilitator(f) for f in value)
    if key == "competency_areas":
        return "; ".join(f"{a['name']} ({a['code']}) {a['hours']}" for a in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if key in CSV_LABELS:
        try:
            return str(CSV_LABELS[key](value).label)
        except ValueError:
            return str(value)
    if key == "kind":
        return str(RECORD_KIND_LABELS.get(value, value))
    return str(value)


def _csv(columns, entries, language: str) -> str:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    with translation.override(language):
        writer.writerow([str(label) for _key, label in columns])
        for entry in entries:
            writer.writerow([_cell(key, entry[key]) for key, _label in columns])
    return out.getvalue()


def training_csv(data: ExportData) -> str:
    return _csv(TRAINING_COLUMNS, (training_entry(line) for line in data.training), data.language)


def rsc_log_csv(data: ExportData) -> str:
    return _csv(RSC_COLUMNS, (rsc_entry(line) for line in data.rsc), data.language)


def _json_totals(totals: dict) -> dict:
    return {
        key: (
            {code: decimal_hours(h) for code, h in value.items()}
            if isinstance(value, dict)
            else decimal_hours(value)
            if isinstance(value, Decimal)
            else value
        )
        for key, value in totals.items()
    }


def export_document(data: ExportData) -> dict:
    learner = data.learner
    return {
        "format": "attune-training-export",
        "format_version": 1,
        "generated_at": data.generated_at.isoformat(timespec="seconds"),
        "learner": {"name": learner.get_full_name(), "email": learner.email},
        "filters": {
            "since": data.since.isoformat() if data.since else None,
            "until": data.until.isoformat() if data.until else None,
            "category": data.category.code if data.category else None,
        },
        "totals": _json_totals(data.totals),
        "training": [training_entry(line) for line in data.training],
        "rsc_sessions": [rsc_entry(line) for line in data.rsc],
    }


def export_json(data: ExportData) -> str:
    return json.dumps(export_document(data), indent=2, ensure_ascii=False) + "\n"


def export_pdf(data: ExportData) -> bytes:
    """The PDF in the learner's language: labels translated, facts as recorded."""
    learner = data.learner
    with translation.override(data.language):
        html = render_to_string(
            "endorsement/export_pdf.html",
            {
                "data": data,
                "totals": data.totals,
                "learner_name": learner.get_full_name() or learner.email,
                "training": [line for line in data.training if not line.is_revoked],
                "rsc": [line for line in data.rsc if not line.is_revoked],
                "revoked": [line for line in data.training + data.rsc if line.is_revoked],
            },
        )
    return render_pdf(html)

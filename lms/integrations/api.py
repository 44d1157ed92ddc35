"""The REST API associations' own systems read: version 1, on django-ninja (which Wagtail
already brings), with its OpenAPI schema at ``/api/v1/openapi.json`` and docs at
``/api/v1/docs``.

Authentication is a per-association bearer token (``tokens.py``): read-only, revocable. The
API lists the training records and RSC sessions of learners who consent, at the moment of
the request, to share them with the token's association, in the fields an endorsement
application asks for. Pages are ordered by ``(updated_at, id)`` and linked by an opaque
cursor; ``updated_since`` limits a sync to what changed.
"""

import datetime
import uuid
from typing import Annotated

from django.core import signing
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BeforeValidator

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.endorsement.exports import record_kind, training_entry
from lms.endorsement.selectors.exports import ExportLine
from lms.endorsement.selectors.sharing import shared_records
from lms.integrations import tokens
from lms.records.facts import facts_for
from lms.records.links import verification_url

CURSOR_SALT = "lms.integrations.api-cursor"
MAX_PAGE = 500


class AssociationToken(HttpBearer):
    def authenticate(self, request, token):
        return tokens.authenticate(token)


api = NinjaAPI(
    title="Attune association API",
    version="1",
    description=(
        "Training records and reflective supervision/consultation sessions that learners "
        "share with your association, for your own endorsement application system. Send "
        "`Authorization: Bearer <token>` with a token from the Attune admin (Integrations)."
    ),
    urls_namespace="attune_api_v1",
    auth=AssociationToken(),
)


class Learner(Schema):
    name: str
    email: str


class Facilitator(Schema):
    name: str
    credentials: str = ""


class AreaHours(Schema):
    code: str = Field(description="Competency area code, e.g. TF.")
    name: str
    hours: str = Field(description="Clock hours as a decimal string, e.g. 2.50.")


class RSCDetails(Schema):
    session_format: str = Field(description="individual or group")
    supervisor: str
    supervisor_endorsement: str = ""
    cosign_status: str = Field(description="pending, confirmed or declined")


class Record(Schema):
    id: uuid.UUID = Field(description="The record's verification id.")
    kind: str = Field(
        description="platform_completion, live_attendance, external_training or rsc_session"
    )
    learner: Learner
    date: datetime.date
    duration_hours: str = Field(description="Clock hours as a decimal string.")
    title: str
    topic: str
    facilitators: list[Facilitator]
    provider: str
    competency_areas: list[AreaHours]
    sub_areas: list[str]
    delivery_format: str
    age_band: str
    dei: bool
    rsc_topic: bool = Field(description="About providing reflective supervision/consultation.")
    verification_url: str
    verification_tier: str = Field(
        description="platform_verified, attendance_verified, provider_attested or self_reported"
    )
    status: str = Field(description="valid or revoked")
    revoked_on: datetime.date | None
    amended: list[str] = Field(description="Fields corrected since the record was issued.")
    rsc: RSCDetails | None = Field(description="Only for RSC sessions.")
    updated_at: datetime.datetime


class RecordPage(Schema):
    items: list[Record]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class Problem(Schema):
    detail: str = Field(description="What was wrong, in words.")


class InvalidField(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: the parameter's place and name.")
    msg: str


class InvalidRequest(Schema):
    detail: list[InvalidField]


# Every status the API answers, so that clients (and the OpenAPI document) know them all.
RESPONSES = {
    200: RecordPage,
    400: Problem,  # a cursor that is not ours
    401: Problem,  # no token, or one unknown or revoked
    422: InvalidRequest,  # a parameter out of range or of the wrong type
}


def iso_datetime(value):
    """Only an ISO 8601 date and time, as the document says (pydantic alone would also read
    a number as seconds since 1970), within the calendar and with a real offset."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
        if parsed.tzinfo is not None:
            parsed.astimezone(datetime.UTC)  # an offset that overflows the calendar
    except (ValueError, OverflowError) as error:
        raise ValueError("Use an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z.") from error
    return parsed


class RecordFilters(Schema):
    updated_since: Annotated[datetime.datetime | None, BeforeValidator(iso_datetime)] = Field(
        None, description="Only records changed (or newly shared) at or after this time."
    )
    cursor: str | None = Field(None, description="From the previous page's next_cursor.")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


def encode_cursor(record) -> str:
    return signing.dumps(
        {"t": record.changed_at.isoformat(), "i": record.pk}, salt=CURSOR_SALT, compress=True
    )


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        return datetime.datetime.fromisoformat(data["t"]), int(data["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise HttpError(400, "The cursor is not valid; start again without one.") from exc


def record_out(record) -> dict:
    facts = facts_for(record)
    line = ExportLine(record, facts, record.rsc_cosign_status is not None, verification_url(record))
    entry = training_entry(line)
    rsc = None
    if line.is_rsc:
        rsc = {
            "session_format": record.rsc_session_format,
            "supervisor": record.rsc_supervisor_name,
            "supervisor_endorsement": record.rsc_supervisor_endorsement or "",
            "cosign_status": record.rsc_cosign_status,
        }
    return {
        **entry,
        "id": record.verification_id,
        "kind": record_kind(record),
        "learner": {"name": record.learner.get_full_name(), "email": record.learner.email},
        "rsc": rsc,
        "updated_at": record.changed_at,
    }


@api.get(
    "/records",
    response=RESPONSES,
    summary="Records shared with your association",
    tags=["records"],
)
def list_records(request, filters: Query[RecordFilters]):
    association = request.auth.association
    after = decode_cursor(filters.cursor) if filters.cursor else None
    rows = shared_records(
        association=association,
        updated_since=filters.updated_since,
        after=after,
        limit=filters.limit + 1,
    )
    page, more = rows[: filters.limit], len(rows) > filters.limit
    if page:
        record_event(
            action=AuditAction.DATA_EXPORTED,
            organization=association,
            target=request.auth,
            details={"count": len(page), **export_details(request)},
        )
    return {
        "items": [record_out(r) for r in page],
        "next_cursor": encode_cursor(page[-1]) if more else None,
    }

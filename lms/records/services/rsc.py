"""Reflective supervision/consultation: logging a session, and the supervisor's co-signature
through a signed one-time link sent by e-mail."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.organizations.branding import Brand
from lms.organizations.mail import send_branded_mail_on_commit

from .. import signals
from ..links import public_url
from ..models import (
    CosignStatus,
    DeliveryFormat,
    RecordEvent,
    RSCSession,
    SessionFormat,
    VerificationTier,
)
from .issuing import announce_issued, validate_facts
from .record_events import add_record_event

COSIGN_SALT = "lms.records.rsc-cosign"


def cosign_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ATTUNE_RSC_COSIGN_DAYS", 14))


class CosignLinkError(Exception):
    """A co-signature link that cannot be used; ``reason`` says why."""

    EXPIRED = "expired"
    INVALID = "invalid"
    USED = "used"
    WRONG_USER = "wrong_user"

    MESSAGES = {
        EXPIRED: gettext_lazy(
            "This co-signature link has expired. Ask the learner to send a new one."
        ),
        INVALID: gettext_lazy("This co-signature link is not valid."),
        USED: gettext_lazy("This co-signature link has already been used."),
        WRONG_USER: gettext_lazy(
            "This link was sent to another person. Sign in with the e-mail address "
            "the request was sent to."
        ),
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(str(self.MESSAGES[reason]))


@transaction.atomic
def log_rsc_session(
    *,
    learner,
    session_date: datetime.date,
    duration_hours: Decimal,
    session_format: str,
    supervisor_name: str,
    supervisor_email: str,
    supervisor_endorsement: str = "",
    topic: str = "",
    delivery_format: str = DeliveryFormat.IN_PERSON,
    brand: Brand | None = None,
) -> RSCSession:
    """Log an RSC session and e-mail the supervisor a link to co-sign it (in ``brand``: the
    association whose site the learner used, or Attune's)."""
    errors = {}
    try:
        duration, _areas = validate_facts(
            learner=learner,
            completed_on=session_date,
            duration_hours=duration_hours,
            area_hours={},
            require_areas=False,
            delivery_format=delivery_format,
        )
    except ValidationError as exc:
        errors.update(
            {("session_date" if k == "completed_on" else k): v for k, v in exc.message_dict.items()}
        )
    if session_format not in SessionFormat.values:
        errors["session_format"] = [_("Choose individual or group.")]
    if not (supervisor_name or "").strip():
        errors["supervisor_name"] = [_("Name your supervisor or consultant.")]
    supervisor_email = (supervisor_email or "").strip()
    if not supervisor_email or "@" not in supervisor_email:
        errors["supervisor_email"] = [_("Enter your supervisor's e-mail address.")]
    elif supervisor_email.lower() == learner.email.lower():
        errors["supervisor_email"] = [_("You cannot co-sign your own session.")]
    if errors:
        raise ValidationError(errors)
    # The title is a fact of the record, kept in the site's own language whatever the
    # learner reads in (documents translate labels, never facts).
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(SessionFormat(session_format).label).lower()
    record = RSCSession.objects.create(
        learner=learner,
        title=f"Reflective supervision/consultation ({kind})",
        topic=topic.strip(),
        provider_name=supervisor_name.strip(),
        completed_on=session_date,
        duration_hours=duration,
        delivery_format=delivery_format,
        verification_tier=VerificationTier.SELF_REPORTED,
        session_format=session_format,
        supervisor_name=supervisor_name.strip(),
        supervisor_email=supervisor_email,
        supervisor_endorsement=supervisor_endorsement.strip(),
        created_by=learner,
    )
    announce_issued(record, actor=learner)
    request_rsc_cosignature(record=record, by=learner, brand=brand)
    return record


def cosign_token(record: RSCSession) -> str:
    return signing.dumps({"r": record.pk, "n": record.cosign_nonce}, salt=COSIGN_SALT)


@transaction.atomic
def request_rsc_cosignature(*, record: RSCSession, by, brand: Brand | None = None) -> str:
    """Send (or send again) the co-signature link. A new link replaces any earlier one."""
    record = RSCSession.objects.select_for_update().get(pk=record.pk)
    if record.learner_id != by.pk:
        raise PermissionError("Only the learner can ask for a co-signature.")
    if record.cosign_status != CosignStatus.PENDING:
        raise ValidationError(_("This session has already been answered by the supervisor."))
    if record.is_revoked:
        raise ValidationError(_("This session was revoked."))
    record.cosign_nonce = secrets.token_urlsafe(24)
    record.cosign_requested_at = timezone.now()
    record.save(update_fields=["cosign_nonce", "cosign_requested_at", "modified_at"])
    token = cosign_token(record)
    link = public_url(reverse("records:rsc_cosign", args=[token]))
    context = {
        "record": record,
        "learner_name": record.learner.get_full_name() or record.learner.email,
        "link": link,
        "days": cosign_max_age().days,
    }
    recipient = record.supervisor_email
    send_branded_mail_on_commit(
        brand=brand,
        subject=_("Please co-sign a reflective supervision session for %(name)s")
        % {"name": context["learner_name"]},
        template="records/email/rsc_cosign_request.txt",
        context=context,
        to=[recipient],
    )
    add_record_event(record, RecordEvent.Kind.COSIGN_REQUESTED, actor=by, to=recipient)
    return token


def rsc_session_for_token(*, token: str, user, lock: bool = False) -> RSCSession:
    """The session a co-signature link is for, after every check of the link and the user.
    With ``lock`` the row stays locked until the transaction ends, so that two simultaneous
    answers cannot both count."""
    try:
        payload = signing.loads(token, salt=COSIGN_SALT, max_age=cosign_max_age())
    except signing.SignatureExpired as exc:
        raise CosignLinkError(CosignLinkError.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise CosignLinkError(CosignLinkError.INVALID) from exc
    sessions = RSCSession.objects.select_related("learner")
    if lock:
        sessions = RSCSession.objects.select_for_update()
    record = sessions.filter(pk=payload.get("r")).first()
    if record is None or record.is_revoked:
        raise CosignLinkError(CosignLinkError.INVALID)
    nonce = payload.get("n") or ""
    if record.cosign_status != CosignStatus.PENDING or not secrets.compare_digest(
        record.cosign_nonce or "", nonce
    ):
        # Answered already, or replaced by a newer link.
        raise CosignLinkError(CosignLinkError.USED)
    email = (getattr(user, "email", "") or "").lower()
    if email != record.supervisor_email.lower() or user.pk == record.learner_id:
        raise CosignLinkError(CosignLinkError.WRONG_USER)
    return record


@transaction.atomic
def decide_rsc_cosignature(*, token: str, user, confirm: bool, comment: str = "") -> RSCSession:
    """The supervisor confirms or declines a session. The link works once."""
    record = rsc_session_for_token(token=token, user=user, lock=True)
    record.cosign_status = CosignStatus.CONFIRMED if confirm else CosignStatus.DECLINED
    record.cosigned_at = timezone.now()
    record.cosigned_by = user
    record.cosign_comment = (comment or "").strip()
    record.cosign_nonce = ""
    if confirm:
        record.verification_tier = VerificationTier.PROVIDER_ATTESTED
    record.save(
        update_fields=[
            "cosign_status",
            "cosigned_at",
            "cosigned_by",
            "cosign_comment",
            "cosign_nonce",
            "verification_tier",
            "modified_at",
        ]
    )
    kind = RecordEvent.Kind.COSIGNED if confirm else RecordEvent.Kind.COSIGN_DECLINED
    add_record_event(record, kind, actor=user, comment=record.cosign_comment)
    signals.rsc_cosignature_decided.send(sender=RSCSession, record=record)
    return record

"""What a learner shows others for one record: the certificate PDF and the Open Badges
credential. Both downloads are written to the record's audit trail."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from .. import credentials, documents
from ..facts import facts_for
from ..language import document_language
from ..models import LiveAttendance, PlatformCompletion, RecordEvent, TrainingRecord
from ..selectors.records import record_for_learner, with_facts
from ..services.record_events import log_download

logger = logging.getLogger(__name__)

# Certificates vouch for training Attune saw happen; self-reported records and RSC sessions
# appear on the transcript instead.
CERTIFIED_KINDS = (PlatformCompletion, LiveAttendance)


def may_view_record(user, record: TrainingRecord) -> bool:
    """The learner, or someone who may view what the issuing organization issued."""
    if record.learner_id == user.pk:
        return True
    return record.provider_organization is not None and user_can(
        user=user, action=Action.VIEW_ISSUED_RECORDS, organization=record.provider_organization
    )


def _viewable_record(request, verification_id) -> TrainingRecord:
    record = (
        with_facts(TrainingRecord.objects.filter(verification_id=verification_id))
        .select_related("learner", "provider_organization")
        .first()
    )
    if record is None or not may_view_record(request.user, record):
        # The same answer for "missing" and "not yours": ids are not confirmed to strangers.
        raise Http404(_("No such record."))
    return record


@login_required
def certificate(request, verification_id):
    record = _viewable_record(request, verification_id)
    if not isinstance(record, CERTIFIED_KINDS):
        messages.error(
            request,
            _(
                "Certificates are issued for training completed through Attune. "
                "This record is on your transcript."
            ),
        )
        return redirect("records:detail", record.verification_id)
    if record.is_revoked:
        messages.error(request, _("This record was revoked, so it has no certificate."))
        return redirect("records:detail", record.verification_id)
    own = record.learner_id == request.user.pk
    language = document_language(user=record.learner, fallback=get_language() if own else None)
    pdf = documents.certificate_pdf(record, language=language)
    log_download(record=record, actor=request.user, kind=RecordEvent.Kind.CERTIFICATE_DOWNLOADED)
    filename = f"certificate-{slugify(facts_for(record).title)[:60]}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def credential(request, verification_id):
    record = record_for_learner(learner=request.user, verification_id=verification_id)
    if record is None:
        raise Http404(_("No such record."))
    try:
        document = credentials.credential_for(record)
    except credentials.SigningKeyUnavailable:
        logger.exception("Credential for record %s could not be signed", record.verification_id)
        messages.error(
            request,
            _(
                "Attune cannot sign credentials at the moment: the fault is ours and has been "
                "logged for the people who run it. Your record is safe; please try again later."
            ),
        )
        return redirect("records:detail", record.verification_id)
    except credentials.CredentialError as exc:
        messages.error(request, str(exc))
        return redirect("records:detail", record.verification_id)
    log_download(record=record, actor=request.user, kind=RecordEvent.Kind.CREDENTIAL_DOWNLOADED)
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{record.verification_id}.json"'
    )
    return response

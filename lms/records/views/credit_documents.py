"""Continuing-education credit a learner claimed: its certificate, its public verification
page, and the learner's credit transcript for one kind and a period (page, PDF, CSV)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import credit_documents
from ..facts import facts_for
from ..forms_credits import LearnerCreditRangeForm
from ..language import document_language
from ..models import RecordEvent
from ..selectors.credits import claimed_credit, credit_transcript_for, transcript_kinds_for
from ..services.record_events import add_record_event
from .certificates import may_view_record

RANGE_FIELDS = ("kind", "start", "end")


@login_required
def credit_certificate(request, verification_id):
    credit = claimed_credit(verification_id=verification_id)
    if credit is None or not may_view_record(request.user, credit.record):
        # The same answer for "missing", "never claimed" and "not yours".
        raise Http404(_("No such credit."))
    record = credit.record
    if record.is_revoked:
        refusal = _(
            "The training record behind this credit was revoked, so the credit has no certificate."
        )
    elif not credit.claim.is_active:
        refusal = _(
            "This credit's claim was withdrawn, so it has no certificate. The learner may "
            "claim it again from the training record."
        )
    else:
        refusal = ""
    if refusal:
        context = {"credit": credit, "record": record, "refusal": refusal}
        return render(request, "records/credit_refused.html", context, status=409)
    own = record.learner_id == request.user.pk
    language = document_language(user=record.learner, fallback=get_language() if own else None)
    pdf = credit_documents.credit_certificate_pdf(credit, language=language)
    add_record_event(
        record,
        RecordEvent.Kind.CERTIFICATE_DOWNLOADED,
        actor=request.user,
        credit=str(credit.verification_id),
    )
    name = slugify(f"{credit.kind_name} {facts_for(record).title}")[:70]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{name}.pdf"'
    return response


def verify_credit(request, verification_id):
    """Public: what an auditor checks on a credit certificate (validity, learner, training,
    kind, amount, category, approval numbers). Never the license number."""
    credit = claimed_credit(verification_id=verification_id)
    if credit is None:
        raise Http404(_("No credit has this verification number."))
    record = credit.record
    response = render(
        request,
        "records/verify_credit.html",
        {
            "credit": credit,
            "record": record,
            "facts": facts_for(record),
            "learner_name": record.learner.public_name or _("Name not recorded"),
            "is_ceus": credit_documents.is_ceus(credit),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _initial_range() -> dict:
    today = timezone.localdate()
    return {"start": datetime.date(today.year - 1, 1, 1), "end": today}


@login_required
def credit_transcript(request):
    kinds = list(transcript_kinds_for(learner=request.user))
    bound = any(name in request.GET for name in RANGE_FIELDS)
    form = LearnerCreditRangeForm(
        request.GET if bound else None, kinds=kinds, initial=_initial_range()
    )
    transcript = None
    if bound and form.is_valid():
        kind = form.chosen_kind
        transcript = credit_transcript_for(
            learner=request.user,
            kind=kind,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
        wanted = request.GET.get("format")
        if wanted in ("pdf", "csv"):
            return _download(request, transcript, wanted)
    return render(
        request,
        "records/credit_transcript.html",
        {"form": form, "kinds": kinds, "transcript": transcript},
    )


def _download(request, transcript, wanted: str) -> HttpResponse:
    language = document_language(user=request.user, fallback=get_language())
    filename = (
        f"credit-transcript-{transcript.kind.code}-"
        f"{transcript.start.isoformat()}-{transcript.end.isoformat()}.{wanted}"
    )
    if wanted == "pdf":
        body = credit_documents.credit_transcript_pdf(transcript, language=language)
        response = HttpResponse(body, content_type="application/pdf")
    else:
        body = credit_documents.credit_transcript_csv(transcript, language=language)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

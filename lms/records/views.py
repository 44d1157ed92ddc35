"""Learner-facing and public views. Thin: selectors read, services write, and every view
checks that the object belongs to the signed-in user (or may be seen by them)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from lms.organizations.models import Organization
from lms.organizations.permissions import Action
from lms.organizations.selectors import user_can

from . import credentials, documents
from .facts import facts_for
from .forms import CosignForm, ExternalTrainingForm, RSCSessionForm
from .links import verification_url
from .models import (
    CosignStatus,
    ExternalTraining,
    LiveAttendance,
    PlatformCompletion,
    RecordEvent,
    RSCSession,
    TrainingRecord,
)
from .selectors.records import record_for_learner, record_for_verification, with_facts
from .selectors.transcript import transcript_for
from .services import external, record_events, rsc

MAX_CREDENTIAL_BYTES = 256 * 1024
# Certificates vouch for training Attune saw happen; self-reported records and RSC sessions
# appear on the transcript instead.
CERTIFIED_KINDS = (PlatformCompletion, LiveAttendance)


def _may_view(user, record: TrainingRecord) -> bool:
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
    if record is None or not _may_view(request.user, record):
        # The same answer for "missing" and "not yours": ids are not confirmed to strangers.
        raise Http404("No such record.")
    return record


@login_required
def my_records(request):
    transcript = transcript_for(learner=request.user, include_revoked=True)
    return render(request, "records/my_records.html", {"transcript": transcript})


@login_required
def record_detail(request, verification_id):
    record = record_for_learner(learner=request.user, verification_id=verification_id)
    if record is None:
        raise Http404("No such record.")
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "facts": facts_for(record),
            "is_platform": isinstance(record, PlatformCompletion),
            "has_certificate": isinstance(record, CERTIFIED_KINDS),
            "is_rsc": isinstance(record, RSCSession),
            "has_evidence": isinstance(record, ExternalTraining) and bool(record.evidence),
            "verification_url": verification_url(record),
            "amendments": record.amendments.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_external_training(request):
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = external.add_external_training(
                learner=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"“{record.title}” was added to your records.")
            return redirect("records:detail", record.verification_id)
    return render(request, "records/external_training_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def log_rsc_session(request):
    form = RSCSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = rsc.log_rsc_session(learner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                f"Session logged. We e-mailed {record.supervisor_email} a link to co-sign it.",
            )
            return redirect("records:detail", record.verification_id)
    return render(request, "records/rsc_form.html", {"form": form})


@login_required
@require_POST
def resend_cosign_request(request, verification_id):
    record = get_object_or_404(RSCSession, verification_id=verification_id, learner=request.user)
    try:
        rsc.request_rsc_cosignature(record=record, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new link was sent to {record.supervisor_email}.")
    return redirect("records:detail", record.verification_id)


@require_http_methods(["GET", "POST"])
def rsc_cosign(request, token):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        record = rsc.rsc_session_for_token(token=token, user=request.user)
    except rsc.CosignLinkError as exc:
        status = 403 if exc.reason == exc.WRONG_USER else 410
        return render(request, "records/rsc_cosign_error.html", {"error": exc}, status=status)
    form = CosignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        if decision not in {"confirm", "decline"}:
            form.add_error(None, "Choose confirm or decline.")
        else:
            try:
                record = rsc.decide_rsc_cosignature(
                    token=token,
                    user=request.user,
                    confirm=decision == "confirm",
                    comment=form.cleaned_data["comment"],
                )
            except rsc.CosignLinkError as exc:
                return render(request, "records/rsc_cosign_error.html", {"error": exc}, status=410)
            return render(request, "records/rsc_cosign_done.html", {"record": record})
    return render(request, "records/rsc_cosign.html", {"record": record, "form": form})


@login_required
def certificate(request, verification_id):
    record = _viewable_record(request, verification_id)
    if not isinstance(record, CERTIFIED_KINDS):
        messages.error(
            request,
            "Certificates are issued for training completed through Attune. "
            "This record is on your transcript.",
        )
        return redirect("records:detail", record.verification_id)
    if record.is_revoked:
        messages.error(request, "This record was revoked, so it has no certificate.")
        return redirect("records:detail", record.verification_id)
    pdf = documents.certificate_pdf(record)
    record_events.log_download(
        record=record, actor=request.user, kind=RecordEvent.Kind.CERTIFICATE_DOWNLOADED
    )
    filename = f"certificate-{slugify(facts_for(record).title)[:60]}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def credential(request, verification_id):
    record = record_for_learner(learner=request.user, verification_id=verification_id)
    if record is None:
        raise Http404("No such record.")
    try:
        document = credentials.credential_for(record)
    except credentials.CredentialError as exc:
        messages.error(request, str(exc))
        return redirect("records:detail", record.verification_id)
    record_events.log_download(
        record=record, actor=request.user, kind=RecordEvent.Kind.CREDENTIAL_DOWNLOADED
    )
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{record.verification_id}.json"'
    )
    return response


@login_required
def evidence(request, verification_id):
    record = get_object_or_404(
        ExternalTraining, verification_id=verification_id, learner=request.user
    )
    if not record.evidence:
        raise Http404("This record has no evidence file.")
    extension = record.evidence.name.rsplit(".", 1)[-1]
    return FileResponse(
        record.evidence.open("rb"),
        content_type=record.evidence_content_type,
        as_attachment=True,
        filename=f"evidence-{record.verification_id}.{extension}",
    )


@login_required
def transcript(request):
    data = transcript_for(learner=request.user)
    return render(request, "records/transcript.html", {"transcript": data})


@login_required
def transcript_pdf(request):
    data = transcript_for(learner=request.user)
    response = HttpResponse(documents.transcript_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attune-transcript.pdf"'
    return response


@login_required
def transcript_csv(request):
    data = transcript_for(learner=request.user)
    response = HttpResponse(documents.transcript_csv(data), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="attune-transcript.csv"'
    return response


def verify(request, verification_id):
    """Public: anyone with the link sees validity and the training facts, and only the
    learner's name (no e-mail or other personal data)."""
    record = record_for_verification(verification_id=verification_id)
    if record is None:
        raise Http404("No record has this verification number.")
    response = render(
        request,
        "records/verify.html",
        {
            "record": record,
            "facts": facts_for(record),
            "learner_name": record.learner.get_full_name() or "Name not recorded",
            "amendments": record.amendments.all(),
            "cosign_status": getattr(record, "cosign_status", None),
            "CosignStatus": CosignStatus,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_credential(request):
    """Verify an OBv3 credential. JSON in (request body), JSON out; or a form for people.

    CSRF-exempt on purpose: it changes nothing and external verifiers post to it."""
    if request.method == "GET":
        return render(request, "records/verify_credential.html", {})
    wants_json = request.content_type in {"application/json", "application/ld+json"}
    raw = request.body if wants_json else _uploaded_credential(request)
    if raw is None or len(raw) > MAX_CREDENTIAL_BYTES:
        return _verification_response(
            request,
            wants_json,
            {"verified": False, "status": "invalid", "errors": ["No credential was sent."]},
        )
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _verification_response(
            request, wants_json, {"verified": False, "status": "invalid", "errors": ["Not JSON."]}
        )
    result = credentials.verify_credential(document).as_json()
    return _verification_response(request, wants_json, result)


def _uploaded_credential(request) -> bytes | None:
    upload = request.FILES.get("credential_file")
    if upload is not None:
        return upload.read(MAX_CREDENTIAL_BYTES + 1)
    text = request.POST.get("credential", "")
    return text.encode("utf-8") if text.strip() else None


def _verification_response(request, wants_json: bool, result: dict):
    status = 200 if result["verified"] else 400
    if wants_json:
        return JsonResponse(result, status=status)
    return render(request, "records/verify_credential.html", {"result": result}, status=status)


def issuer_profile(request, slug):
    if slug == credentials.PLATFORM_ISSUER_SLUG:
        organization = None
    else:
        organization = get_object_or_404(Organization, slug=slug)
    response = JsonResponse(credentials.issuer_profile(organization=organization))
    response["Content-Type"] = "application/ld+json"
    return response

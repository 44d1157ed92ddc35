"""The learner's own records: the list, one record, adding external training, its evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..facts import facts_for
from ..forms import ExternalTrainingForm
from ..links import verification_url
from ..models import ExternalTraining, PlatformCompletion, RecordCredit, RSCSession
from ..selectors.credit_claims import credit_rows
from ..selectors.records import record_for_learner
from ..selectors.transcript import transcript_for
from ..services import credits, external
from .certificates import CERTIFIED_KINDS


@login_required
def my_records(request):
    transcript = transcript_for(learner=request.user, include_revoked=True)
    return render(request, "records/my_records.html", {"transcript": transcript})


@login_required
def record_detail(request, verification_id):
    record = record_for_learner(learner=request.user, verification_id=verification_id)
    if record is None:
        raise Http404(_("No such record."))
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
            "credits": credit_rows(record=record, learner=request.user),
        },
    )


def _own_credit(request, verification_id) -> RecordCredit:
    # Someone else's credit is a 404, as their record is.
    return get_object_or_404(
        RecordCredit.objects.select_related("record"),
        verification_id=verification_id,
        record__learner=request.user,
    )


def _credits_section(credit) -> str:
    return reverse("records:detail", args=[credit.record.verification_id]) + "#credits"


@login_required
@require_POST
def claim_credit(request, verification_id):
    credit = _own_credit(request, verification_id)
    try:
        credits.claim_credit(
            learner=request.user,
            credit=credit,
            license_number=request.POST.get("license_number", ""),
            license_jurisdiction=request.POST.get("license_jurisdiction", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You claimed %(kind)s.") % {"kind": credit.kind_name})
    return redirect(_credits_section(credit))


@login_required
@require_POST
def withdraw_credit_claim(request, verification_id):
    credit = _own_credit(request, verification_id)
    try:
        credits.withdraw_claim(learner=request.user, credit=credit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You withdrew your claim of %(kind)s.") % {"kind": credit.kind_name}
        )
    return redirect(_credits_section(credit))


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
            messages.success(
                request, _("“%(title)s” was added to your records.") % {"title": record.title}
            )
            return redirect("records:detail", record.verification_id)
    return render(request, "records/external_training_form.html", {"form": form})


@login_required
def evidence(request, verification_id):
    record = get_object_or_404(
        ExternalTraining, verification_id=verification_id, learner=request.user
    )
    if not record.evidence:
        raise Http404(_("This record has no evidence file."))
    extension = record.evidence.name.rsplit(".", 1)[-1]
    return FileResponse(
        record.evidence.open("rb"),
        content_type=record.evidence_content_type,
        as_attachment=True,
        filename=f"evidence-{record.verification_id}.{extension}",
    )

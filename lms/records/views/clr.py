"""The learner downloads their records as one Comprehensive Learner Record (CLR 2.0)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..clr import chosen_records, clr_choice, issue_clr
from ..credentials import SigningKeyUnavailable
from ..facts import facts_for
from ..models import RecordEvent
from ..services.record_events import log_download

logger = logging.getLogger(__name__)


def _issuer(choice, slug: str):
    if not slug:
        return None
    for organization in choice.issuers:
        if organization.slug == slug:
            return organization
    raise ValidationError(
        _("Only Attune, or an association that provided one of your records, can sign it.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def clr(request):
    """GET: the choice of records and signer. POST ``scope=all`` (or chosen ``record``
    verification ids): the signed ClrCredential as a download. Refusals change nothing."""
    choice = clr_choice(learner=request.user)
    status = 200
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        try:
            issuer = _issuer(choice, request.POST.get("issuer", ""))
            records = chosen_records(
                learner=request.user,
                verification_ids=None if everything else request.POST.getlist("record"),
            )
            document = issue_clr(
                learner=request.user,
                records=records,
                issuer=issuer,
                partial=not everything and len(records) < len(choice.records),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 400
        except SigningKeyUnavailable:
            logger.exception("CLR for learner %s could not be signed", request.user.pk)
            messages.error(
                request,
                _(
                    "Attune cannot sign credentials at the moment: the fault is ours and has "
                    "been logged for the people who run it. Your records are safe; please try "
                    "again later."
                ),
            )
            status = 503
        else:
            for record in records:
                log_download(
                    record=record, actor=request.user, kind=RecordEvent.Kind.CREDENTIAL_DOWNLOADED
                )
            response = JsonResponse(
                document, json_dumps_params={"indent": 2, "ensure_ascii": False}
            )
            response["Content-Type"] = "application/ld+json"
            response["Content-Disposition"] = 'attachment; filename="attune-clr.json"'
            return response
    # A link may preselect records (?record=...), e.g. an endorsement application's.
    data = request.POST if request.method == "POST" else request.GET
    chosen = set(data.getlist("record")) if "record" in data or request.method == "POST" else None
    lines = [
        {"record": r, "facts": facts_for(r), "key": str(r.verification_id)} for r in choice.records
    ]
    return render(
        request,
        "records/clr.html",
        {
            "choice": choice,
            "lines": lines,
            "chosen": chosen,
            "issuer": request.POST.get("issuer", ""),
        },
        status=status,
    )

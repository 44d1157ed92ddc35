"""Public pages anyone may open: a record's verification page, verifying an Open Badges
credential, an issuer's profile and its credential status lists."""

import hashlib

from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lms.organizations.models import Organization
from lms.parsing import BadInput, parse_json

from .. import credentials, status_lists
from ..facts import facts_for
from ..models import CosignStatus
from ..selectors.records import record_for_verification

MAX_CREDENTIAL_BYTES = 256 * 1024


def verify(request, verification_id):
    """Public: anyone with the link sees validity and the training facts, and only the
    learner's name (no e-mail or other personal data)."""
    record = record_for_verification(verification_id=verification_id)
    if record is None:
        raise Http404(_("No record has this verification number."))
    response = render(
        request,
        "records/verify.html",
        {
            "record": record,
            "facts": facts_for(record),
            "learner_name": record.learner.public_name or _("Name not recorded"),
            "name_withheld": record.learner.is_erased,
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
            {"verified": False, "status": "invalid", "errors": [_("No credential was sent.")]},
        )
    try:
        document = parse_json(raw, max_bytes=MAX_CREDENTIAL_BYTES)
    except BadInput:
        return _verification_response(
            request,
            wants_json,
            {"verified": False, "status": "invalid", "errors": [_("Not JSON.")]},
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


# Verifiers may keep a list this long before fetching it again (and revalidate by ETag).
STATUS_LIST_MAX_AGE = 300


@require_http_methods(["GET", "HEAD"])
def status_list(request, issuer, purpose, list_id):
    """Public: an issuer's status list as a signed BitstringStatusListCredential. A list
    is named by its issuer, purpose and number; any other combination is a 404."""
    found = status_lists.status_list_for(issuer=issuer, purpose=purpose, pk=list_id)
    if found is None:
        raise Http404(_("No such status list."))
    etag = quote_etag(
        hashlib.sha256(f"{found.pk}:{found.version}:{found.changed_at}".encode()).hexdigest()[:32]
    )
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(credentials.status_list_credential(found))
        response["Content-Type"] = "application/vc+ld+json"
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response

"""Erasure requests in the Wagtail admin: the list and one request, processed or declined by
a platform administrator (a superuser; association admins see only anonymous evidence)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .erasure import decline_erasure, process_erasure
from .models import ErasureRequest, ErasureStatus
from .privacy import retention_rules_for, sections

PAGE_SIZE = 50


def _platform_admin(request) -> None:
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


def erasure_requests(request):
    _platform_admin(request)
    status = request.GET.get("status", ErasureStatus.REQUESTED)
    qs = ErasureRequest.objects.select_related("user", "processed_by")
    if status in ErasureStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "accounts/admin/erasure_requests.html",
        {"page": page, "status": status, "statuses": ErasureStatus.choices},
    )


@require_http_methods(["GET", "POST"])
def erasure_request(request, pk):
    _platform_admin(request)
    erasure = get_object_or_404(ErasureRequest.objects.select_related("user"), pk=pk)
    if request.method == "POST":
        try:
            if "process" in request.POST:
                process_erasure(erasure_request=erasure, processed_by=request.user)
                messages.success(request, _("The person's data was erased."))
            elif "decline" in request.POST:
                decline_erasure(
                    erasure_request=erasure,
                    processed_by=request.user,
                    note=request.POST.get("decision_note", "")[:2000],
                )
                messages.success(request, _("The request was declined."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("accounts_admin:erasure_request", pk=erasure.pk)
    return TemplateResponse(
        request,
        "accounts/admin/erasure_request.html",
        {
            "erasure": erasure,
            "retention": retention_rules_for(user=erasure.user),
            "sections": [s for s in sections() if s.erase],
            "is_open": erasure.status == ErasureStatus.REQUESTED,
        },
    )

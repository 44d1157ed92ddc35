"""The application export of the learner's own records: CSV, JSON, PDF and the RSC log."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import exports
from ..forms import ExportForm
from ..selectors.exports import export_data
from ..selectors.portfolio import portfolio_target

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
    "rsc": ("text/csv; charset=utf-8", "csv"),
}


@login_required
@require_GET
def export(request, fmt: str | None = None):
    if fmt is None and not request.GET:
        _, category = portfolio_target(learner=request.user)
        form = ExportForm(initial={"category": category.code if category else ""})
        return render(request, "endorsement/export.html", {"form": form})
    form = ExportForm(request.GET)
    if fmt is None or not form.is_valid():
        status = 400 if fmt is not None else 200
        return render(request, "endorsement/export.html", {"form": form}, status=status)
    data = export_data(learner=request.user, **form.filters())
    if fmt == "csv":
        body = exports.training_csv(data)
    elif fmt == "json":
        body = exports.export_json(data)
    elif fmt == "pdf":
        body = exports.export_pdf(data)
    else:
        body = exports.rsc_log_csv(data)
    content_type, extension = EXPORTS[fmt]
    name = "attune-rsc-log" if fmt == "rsc" else "attune-training-record"
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{extension}"'
    return response

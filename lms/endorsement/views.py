"""The learner's endorsement portfolio: target, progress, renewal, checklist, readiness and
exports. Thin: selectors read, services write. Every view works on the signed-in learner's
own data only; ticks and evidence are looked up by learner and id together."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.accounts.models import LearnerProfile

from . import exports, rules, selectors, services
from .forms import ChecklistTickForm, ExportForm, HeldEndorsementForm, TargetForm
from .models import ChecklistTick


def _target(learner):
    """The learner's chosen association and category (from their profile), or Nones."""
    profile = (
        LearnerProfile.objects.filter(user=learner)
        .select_related("association", "target_category")
        .first()
    )
    if profile is None:
        return None, None
    association = profile.association
    if association is not None and association.kind != "association":
        association = None
    return association, profile.target_category


def _service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def portfolio(request):
    association, category = _target(request.user)
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            services.set_portfolio_target(
                learner=request.user,
                association=form.cleaned_data["association"],
                category=form.cleaned_data["category"],
            )
            return redirect("endorsement:portfolio")
        status = 400
    else:
        initial = {}
        if association and category:
            initial = {"association": association.slug, "category": category.code}
        form = TargetForm(initial=initial)
        status = 200
    context = {"form": form, "association": association, "category": category}
    if association and category:
        overview = selectors.portfolio_overview(
            learner=request.user, association=association, category=category
        )
        context.update(
            overview=overview,
            held_form=HeldEndorsementForm(
                initial={
                    "endorsed_on": overview.held.endorsed_on if overview.held else None,
                    "provides_rsc": overview.held.provides_rsc if overview.held else False,
                }
            ),
            tick_form=ChecklistTickForm(initial={"completed_on": overview.on}),
            export_form=ExportForm(initial={"category": category.code}),
        )
    return render(request, "endorsement/portfolio.html", context, status=status)


def with_target(view):
    """Views about the learner's target: without one chosen, back to the portfolio page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        association, category = _target(request.user)
        if association is None or category is None:
            messages.error(request, "Choose your association and endorsement category first.")
            return redirect("endorsement:portfolio")
        return view(request, association, category, *args, **kwargs)

    return wrapper


@login_required
@require_POST
@with_target
def held_endorsement(request, association, category):
    if request.POST.get("remove"):
        held = selectors.held_endorsement(
            learner=request.user, association=association, category=category
        )
        if held is not None:
            try:
                services.remove_held_endorsement(learner=request.user, held_id=held.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("endorsement:portfolio")
        messages.success(request, f"Removed your {category.code} endorsement date.")
        return redirect("endorsement:portfolio")
    form = HeldEndorsementForm(request.POST)
    if form.is_valid():
        try:
            services.record_held_endorsement(
                learner=request.user,
                association=association,
                category=category,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, f"Saved: you hold {category.code}. Renewal is tracked below.")
            return redirect("endorsement:portfolio")
    messages.error(request, "Your endorsement was not saved: " + _errors_text(form))
    return redirect("endorsement:portfolio")


def _errors_text(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def tick_from_form(request, form, *, association, to: str):
    """Tick the checklist item a form names (with its evidence) and go back to ``to``,
    saying what happened; the portfolio and application pages both use it."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticked = services.tick_checklist_item(
                learner=request.user,
                association=association,
                item=data["item"],
                completed_on=data["completed_on"],
                note=data["note"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, f"Ticked: {ticked.get_item_display()}.")
            return redirect(to)
    messages.error(request, "Nothing was ticked: " + _errors_text(form))
    return redirect(to)


@login_required
@require_POST
@with_target
def tick(request, association, category):
    form = ChecklistTickForm(request.POST, request.FILES)
    to = reverse("endorsement:portfolio") + "#checklist"
    return tick_from_form(request, form, association=association, to=to)


@login_required
@require_POST
def remove_tick(request, pk):
    try:
        removed = services.remove_checklist_tick(learner=request.user, tick_id=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("endorsement:portfolio") + "#checklist")
    if not removed:
        raise Http404("No such checklist tick.")
    messages.success(request, "The tick was removed.")
    return redirect(reverse("endorsement:portfolio") + "#checklist")


@login_required
@require_GET
def tick_evidence(request, pk):
    return evidence_response(ChecklistTick.objects.filter(learner=request.user, pk=pk).first())


def evidence_response(tick: ChecklistTick | None) -> FileResponse:
    """A checklist item's evidence file as a download (404 when there is none)."""
    if tick is None or not tick.evidence:
        raise Http404("No evidence file.")
    extension = tick.evidence.name.rsplit(".", 1)[-1]
    return FileResponse(
        tick.evidence.open("rb"),
        content_type=tick.evidence_content_type,
        as_attachment=True,
        filename=f"{tick.item}-{tick.completed_on:%Y-%m-%d}.{extension}",
    )


@login_required
@require_GET
@with_target
def readiness(request, association, category):
    held = selectors.held_endorsement(
        learner=request.user, association=association, category=category
    )
    default_kind = rules.SetKind.RENEWAL if held else rules.SetKind.INITIAL
    kind = request.GET.get("kind") or default_kind
    if kind not in {k.value for k in rules.SetKind}:
        kind = default_kind
    result = selectors.evaluate_portfolio(
        learner=request.user,
        association=association,
        category=category,
        kind=kind,
        held=held,
        areas=selectors.category_areas(category=category),
    )
    return render(
        request,
        "endorsement/readiness.html",
        {
            "association": association,
            "category": category,
            "kind": kind,
            "kind_label": rules.SET_KIND_LABELS[rules.SetKind(kind)],
            "result": result,
            "items": result.readiness if result else [],
            "held": held,
        },
    )


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
        _, category = _target(request.user)
        form = ExportForm(initial={"category": category.code if category else ""})
        return render(request, "endorsement/export.html", {"form": form})
    form = ExportForm(request.GET)
    if fmt is None or not form.is_valid():
        status = 400 if fmt is not None else 200
        return render(request, "endorsement/export.html", {"form": form}, status=status)
    data = selectors.export_data(learner=request.user, **form.filters())
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

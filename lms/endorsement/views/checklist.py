"""The checklist: ticking an item with its evidence, removing a tick, downloading evidence.
Ticks and evidence are looked up by learner and id together.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..forms import ChecklistTickForm, errors_in_words
from ..models import ChecklistTick
from ..services.checklist import remove_checklist_tick, tick_checklist_item
from .portfolio import with_target


def tick_from_form(request, form, *, association, to: str):
    """Tick the checklist item a form names (with its evidence) and go back to ``to``,
    saying what happened; the portfolio and application pages both use it."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticked = tick_checklist_item(
                learner=request.user,
                association=association,
                item=data["item"],
                completed_on=data["completed_on"],
                note=data["note"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Ticked: %(item)s.") % {"item": ticked.get_item_display()})
            return redirect(to)
    messages.error(request, _("Nothing was ticked: %(errors)s") % {"errors": errors_in_words(form)})
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
        removed = remove_checklist_tick(learner=request.user, tick_id=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("endorsement:portfolio") + "#checklist")
    if not removed:
        raise Http404("No such checklist tick.")
    messages.success(request, _("The tick was removed."))
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

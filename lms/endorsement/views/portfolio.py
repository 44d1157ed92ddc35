"""The portfolio's own actions: an endorsement the learner holds from before Attune, and the
readiness check. The portfolio page itself is in ``courses.views.portfolio`` (it shows
trainings from the catalog). Every view works on the signed-in learner's own data only.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..forms import HeldEndorsementForm, errors_in_words
from ..rules.rule_sets import SET_KIND_LABELS, SetKind
from ..selectors.portfolio import evaluate_portfolio, held_endorsement, portfolio_target
from ..selectors.requirements import category_areas
from ..services.portfolio import record_held_endorsement, remove_held_endorsement


def with_target(view):
    """Views about the learner's target: without one chosen, back to the portfolio page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        association, category = portfolio_target(learner=request.user)
        if association is None or category is None:
            messages.error(request, _("Choose your association and endorsement category first."))
            return redirect("endorsement:portfolio")
        return view(request, association, category, *args, **kwargs)

    return wrapper


@login_required
@require_POST
@with_target
def update_held_endorsement(request, association, category):
    if request.POST.get("remove"):
        held = held_endorsement(learner=request.user, association=association, category=category)
        if held is not None:
            try:
                remove_held_endorsement(learner=request.user, held_id=held.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("endorsement:portfolio")
        messages.success(
            request, _("Removed your %(code)s endorsement date.") % {"code": category.code}
        )
        return redirect("endorsement:portfolio")
    form = HeldEndorsementForm(request.POST)
    if form.is_valid():
        try:
            record_held_endorsement(
                learner=request.user,
                association=association,
                category=category,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Saved: you hold %(code)s. Renewal is tracked below.") % {"code": category.code},
            )
            return redirect("endorsement:portfolio")
    messages.error(
        request,
        _("Your endorsement was not saved: %(errors)s") % {"errors": errors_in_words(form)},
    )
    return redirect("endorsement:portfolio")


@login_required
@require_GET
@with_target
def readiness(request, association, category):
    held = held_endorsement(learner=request.user, association=association, category=category)
    default_kind = SetKind.RENEWAL if held else SetKind.INITIAL
    kind = request.GET.get("kind") or default_kind
    if kind not in {k.value for k in SetKind}:
        kind = default_kind
    result = evaluate_portfolio(
        learner=request.user,
        association=association,
        category=category,
        kind=kind,
        held=held,
        areas=category_areas(category=category),
    )
    return render(
        request,
        "endorsement/readiness.html",
        {
            "association": association,
            "category": category,
            "kind": kind,
            "kind_label": _(SET_KIND_LABELS[SetKind(kind)]),
            "result": result,
            "items": result.readiness if result else [],
            "held": held,
        },
    )

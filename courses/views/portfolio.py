"""The learner's endorsement portfolio page: target, progress, renewal, checklist, readiness
and exports, with trainings from this catalog that would fill the areas still missing.

It lives here, not in ``lms.endorsement``, because it composes endorsement's evaluation with
the catalog (``suggestions.suggest_trainings_for_areas``), and endorsement may not import
``courses``. ``lms/urls.py`` wires it as ``endorsement:portfolio``; the portfolio's other
actions stay in ``lms.endorsement.views``.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lms.endorsement.forms import ChecklistTickForm, ExportForm, HeldEndorsementForm, TargetForm
from lms.endorsement.selectors.portfolio import portfolio_goal, portfolio_overview
from lms.endorsement.services.portfolio import set_portfolio_target

from ..suggestions import suggest_trainings_for_areas


@login_required
@require_http_methods(["GET", "POST"])
def portfolio(request):
    goal = portfolio_goal(learner=request.user)
    association, category = goal.association, goal.category
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            set_portfolio_target(
                learner=request.user,
                association=form.cleaned_data["association"],
                category=form.cleaned_data["category"],
                target_date=form.cleaned_data.get("target_date"),
            )
            return redirect("endorsement:portfolio")
        status = 400
    else:
        initial = {}
        if association and category:
            initial = {
                "association": association.slug,
                "category": category.code,
                "target_date": goal.target_date,
            }
        form = TargetForm(initial=initial)
        status = 200
    context = {"form": form, "association": association, "category": category}
    if association and category:
        overview = portfolio_overview(
            learner=request.user,
            association=association,
            category=category,
            suggester=suggest_trainings_for_areas,
            target_date=goal.target_date,
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

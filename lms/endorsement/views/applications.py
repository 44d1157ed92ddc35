"""The learner's applications: the list, one application with its draft as steps (one page
per step, ``?step=<slug>``, so it works without JavaScript and reads well on a phone), and each
change to it, which comes back to its step. Every view loads the application by the signed-in
learner and id together.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lms.records.forms import ExternalTrainingForm
from lms.records.models import TrainingRecord

from ..forms import (
    ApplicationTickForm,
    ExcludeRecordForm,
    RaterForm,
    StartApplicationForm,
    SupervisorForm,
    errors_in_words,
)
from ..models import Endorsement
from ..selectors.application_steps import application_steps, is_outside, step_slug
from ..selectors.applications import (
    application_draft,
    application_for_learner,
    applications_for,
    latest_submission,
)
from ..selectors.fees import fee_for_display
from ..selectors.portfolio import portfolio_target
from ..selectors.references import reference_statuses
from ..services.applications import (
    add_outside_training,
    exclude_record,
    include_record,
    reopen_application,
    set_supervisor,
    start_application,
    submit_application,
    withdraw_application,
)
from .checklist import tick_from_form


@login_required
@require_http_methods(["GET", "POST"])
def application_list(request):
    association, category = portfolio_target(learner=request.user)
    if request.method == "POST":
        form = StartApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = start_application(
                    learner=request.user,
                    association=form.cleaned_data["association"],
                    category=form.cleaned_data["category"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("endorsement:application", application.pk)
    else:
        initial = {"kind": "initial"}
        if association and category:
            initial.update(association=association.slug, category=category.code)
        form = StartApplicationForm(initial=initial)
    endorsements = Endorsement.objects.filter(learner=request.user).select_related(
        "association", "category"
    )
    return render(
        request,
        "endorsement/applications.html",
        {
            "form": form,
            "applications": applications_for(learner=request.user),
            "endorsements": endorsements,
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def own_application(view):
    """Views of one application: the signed-in learner's own, or 404."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        application = application_for_learner(learner=request.user, pk=pk)
        if application is None:
            raise Http404("No such application.")
        return view(request, application, *args, **kwargs)

    return login_required(wrapper)


def application_url(application, step=""):
    """The application's page, at ``step`` (a slug of ``application_steps.STEPS``) if given."""
    url = reverse("endorsement:application", args=[application.pk])
    return f"{url}?step={step}" if step else url


def back_to_application(application, step=""):
    return redirect(application_url(application, step))


def change_application(request, application, change, done, step="", **kwargs):
    """Run one change on the learner's application and say how it went."""
    try:
        result = change(application=application, learner=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return back_to_application(application, step)


@own_application
@require_http_methods(["GET"])
def application_detail(request, application):
    context = {
        "application": application,
        "references": reference_statuses(application=application),
        "decisions": application.decisions.all(),
        "rater_form": RaterForm(),
        "fee": fee_for_display(application=application),
    }
    if application.is_draft:
        draft = application_draft(application=application)
        blocking, allowed = draft.open_items
        steps = application_steps(draft=draft)
        slug = step_slug(request.GET.get("step"))
        index = next(i for i, s in enumerate(steps) if s.slug == slug)
        context.update(
            draft=draft,
            blocking=blocking,
            allowed=allowed,
            steps=steps,
            step=steps[index],
            previous_step=steps[index - 1] if index > 0 else None,
            next_step=steps[index + 1] if index + 1 < len(steps) else None,
            steps_done=sum(1 for s in steps if s.done),
            platform_training=[e for e in draft.training if not is_outside(e)],
            outside_training=[e for e in draft.training if is_outside(e)],
            exclude_form=ExcludeRecordForm(),
            supervisor_form=SupervisorForm(
                initial={
                    "supervisor_name": application.supervisor_name,
                    "supervisor_email": application.supervisor_email,
                }
            ),
            tick_form=ApplicationTickForm(
                items=[r.rule.checklist_item for r in draft.checklist] or (),
                initial={"completed_on": timezone.localdate()},
            ),
        )
    else:
        context["submission"] = latest_submission(application)
    return render(request, "endorsement/application.html", context)


@own_application
@require_POST
def exclude(request, application):
    form = ExcludeRecordForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Nothing was left out: %(errors)s") % {"errors": errors_in_words(form)}
        )
        return back_to_application(application, step_slug(request.POST.get("step")))
    record = TrainingRecord.objects.filter(
        learner=request.user, verification_id=form.cleaned_data["record"]
    ).first()
    if record is None:
        raise Http404("No such record.")
    return change_application(
        request,
        application,
        exclude_record,
        _("“%(title)s” is left out of this application.") % {"title": record.title},
        step_slug(request.POST.get("step")),
        record=record,
        reason=form.cleaned_data["reason"],
    )


@own_application
@require_POST
def include(request, application):
    record = TrainingRecord.objects.filter(
        learner=request.user, verification_id=request.POST.get("record") or None
    ).first()
    if record is None:
        raise Http404("No such record.")
    return change_application(
        request,
        application,
        include_record,
        _("“%(title)s” is back in this application.") % {"title": record.title},
        step_slug(request.POST.get("step")),
        record=record,
    )


@own_application
@require_http_methods(["GET", "POST"])
def outside_training(request, application):
    if not application.is_draft:
        messages.error(request, _("Outside training is added while the application is a draft."))
        return back_to_application(application)
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = add_outside_training(
                application=application, learner=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("“%(title)s” was added to your records and to this application.")
                % {"title": record.title},
            )
            return back_to_application(application, "outside-training")
    # The records page's form, posted back here: the same fields, one template.
    return render(
        request,
        "records/external_training_form.html",
        {"form": form, "application": application},
        status=400 if form.is_bound and form.errors else 200,
    )


@own_application
@require_POST
def checklist(request, application):
    if not application.is_draft:
        messages.error(request, _("The checklist is changed while the application is a draft."))
        return back_to_application(application, "checklist")
    form = ApplicationTickForm(request.POST, request.FILES)
    to = application_url(application, "checklist")
    return tick_from_form(request, form, association=application.association, to=to)


@own_application
@require_POST
def supervisor(request, application):
    form = SupervisorForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Your supervisor was not saved: %(errors)s") % {"errors": errors_in_words(form)},
        )
        return back_to_application(application, "references")
    return change_application(
        request,
        application,
        set_supervisor,
        _("Your supervisor was saved."),
        "references",
        name=form.cleaned_data["supervisor_name"],
        email=form.cleaned_data["supervisor_email"],
    )


TRANSITIONS = {
    "submit": (submit_application, gettext_lazy("Your application was submitted for review.")),
    "withdraw": (withdraw_application, gettext_lazy("Your application was withdrawn.")),
    "reopen": (
        reopen_application,
        gettext_lazy("Your application is a draft again: add what was asked and submit it."),
    ),
}


@own_application
@require_POST
def transition(request, application, action):
    change, done = TRANSITIONS[action]
    return change_application(request, application, change, done)

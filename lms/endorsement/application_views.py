"""Learner-facing application pages, the raters' form and the public registry. Thin: selectors
read, ``applications`` writes. Every learner view loads the application by the signed-in
learner and id together; a rater's form checks the signed link and who opened it."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lms.organizations.models import Organization, OrganizationKind
from lms.records.forms import ExternalTrainingForm
from lms.records.models import TrainingRecord

from . import applications, selectors
from .forms import (
    ApplicationTickForm,
    ExcludeRecordForm,
    RaterForm,
    ReferenceRatingForm,
    RegistryListingForm,
    StartApplicationForm,
    SupervisorForm,
)
from .models import Endorsement, EndorsementSource
from .views import _errors_text, _service_errors, _target, tick_from_form


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def application_list(request):
    association, category = _target(request.user)
    if request.method == "POST":
        form = StartApplicationForm(request.POST)
        if form.is_valid():
            try:
                application = applications.start_application(
                    learner=request.user,
                    association=form.cleaned_data["association"],
                    category=form.cleaned_data["category"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                _service_errors(form, exc)
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
            "applications": selectors.applications_for(learner=request.user),
            "endorsements": endorsements,
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def own_application(view):
    """Views of one application: the signed-in learner's own, or 404."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        application = selectors.application_for_learner(learner=request.user, pk=pk)
        if application is None:
            raise Http404("No such application.")
        return view(request, application, *args, **kwargs)

    return login_required(wrapper)


def _back(application, anchor=""):
    return redirect(reverse("endorsement:application", args=[application.pk]) + anchor)


def _change(request, application, change, done, anchor="", **kwargs):
    """Run one change on the learner's application and say how it went."""
    try:
        result = change(application=application, learner=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return _back(application, anchor)


@own_application
@require_http_methods(["GET"])
def application_detail(request, application):
    context = {
        "application": application,
        "references": selectors.reference_statuses(application=application),
        "decisions": application.decisions.all(),
        "rater_form": RaterForm(),
    }
    if application.is_draft:
        draft = selectors.application_draft(application=application)
        blocking, allowed = draft.open_items
        context.update(
            draft=draft,
            blocking=blocking,
            allowed=allowed,
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
        context["submission"] = selectors.latest_submission(application)
    return render(request, "endorsement/application.html", context)


@own_application
@require_POST
def exclude(request, application):
    form = ExcludeRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was left out: " + _errors_text(form))
        return _back(application, "#training")
    record = TrainingRecord.objects.filter(
        learner=request.user, verification_id=form.cleaned_data["record"]
    ).first()
    if record is None:
        raise Http404("No such record.")
    return _change(
        request,
        application,
        applications.exclude_record,
        f"“{record.title}” is left out of this application.",
        "#training",
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
    return _change(
        request,
        application,
        applications.include_record,
        f"“{record.title}” is back in this application.",
        "#training",
        record=record,
    )


@own_application
@require_http_methods(["GET", "POST"])
def outside_training(request, application):
    if not application.is_draft:
        messages.error(request, "Outside training is added while the application is a draft.")
        return _back(application)
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = applications.add_outside_training(
                application=application, learner=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, f"“{record.title}” was added to your records and to this application."
            )
            return _back(application, "#training")
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
        messages.error(request, "The checklist is changed while the application is a draft.")
        return _back(application, "#checklist")
    form = ApplicationTickForm(request.POST, request.FILES)
    to = reverse("endorsement:application", args=[application.pk]) + "#checklist"
    return tick_from_form(request, form, association=application.association, to=to)


@own_application
@require_POST
def supervisor(request, application):
    form = SupervisorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your supervisor was not saved: " + _errors_text(form))
        return _back(application, "#references")
    return _change(
        request,
        application,
        applications.set_supervisor,
        "Your supervisor was saved.",
        "#references",
        name=form.cleaned_data["supervisor_name"],
        email=form.cleaned_data["supervisor_email"],
    )


@own_application
@require_POST
def rater(request, application):
    form = RaterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The rater was not added: " + _errors_text(form))
        return _back(application, "#references")
    return _change(
        request,
        application,
        applications.name_rater,
        lambda named: f"We e-mailed {named.name} a link to rate you.",
        "#references",
        **form.cleaned_data,
    )


@own_application
@require_POST
def rater_action(request, application, reference_id, action):
    if action == "replace":
        change, done = applications.replace_rater, "was withdrawn; name another rater"
    else:
        change, done = applications.resend_reference_link, "got a new link"
    return _change(
        request,
        application,
        change,
        lambda reference: f"{reference.name} {done}.",
        "#references",
        reference_id=reference_id,
    )


TRANSITIONS = {
    "submit": (applications.submit_application, "Your application was submitted for review."),
    "withdraw": (applications.withdraw_application, "Your application was withdrawn."),
    "reopen": (
        applications.reopen_application,
        "Your application is a draft again: add what was asked and submit it.",
    ),
}


@own_application
@require_POST
def transition(request, application, action):
    change, done = TRANSITIONS[action]
    return _change(request, application, change, done)


@login_required
@require_POST
def registry_listing(request, pk):
    form = RegistryListingForm(request.POST)
    form.is_valid()
    try:
        endorsement = applications.set_registry_listing(
            learner=request.user, endorsement_id=pk, listed=form.cleaned_data.get("listed", False)
        )
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        where = f"{endorsement.association}'s public registry"
        messages.success(
            request,
            f"You are listed in {where}."
            if endorsement.listed_in_registry
            else f"You are no longer listed in {where}.",
        )
    return redirect(reverse("endorsement:applications") + "#endorsements")


# ---------------------------------------------------------------------------------------------
# Raters


@require_http_methods(["GET", "POST"])
def reference(request, token):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        found = applications.reference_for_token(token=token, user=request.user)
    except applications.ReferenceLinkError as exc:
        status = 403 if exc.reason == exc.WRONG_USER else 410
        return render(request, "endorsement/reference_error.html", {"error": exc}, status=status)
    areas = selectors.category_areas(category=found.application.category)
    form = ReferenceRatingForm(request.POST or None, areas=areas)
    if request.method == "POST":
        try:
            if request.POST.get("decline"):
                done = applications.decline_reference(
                    token=token, user=request.user, comment=request.POST.get("comment", "")
                )
            elif form.is_valid():
                done = applications.submit_reference(
                    token=token,
                    user=request.user,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
            else:
                done = None
        except applications.ReferenceLinkError as exc:
            return render(request, "endorsement/reference_error.html", {"error": exc}, status=410)
        except ValidationError as exc:
            _service_errors(form, exc)
            done = None
        if done is not None:
            return render(request, "endorsement/reference_done.html", {"reference": done})
    return render(
        request,
        "endorsement/reference_form.html",
        {"reference": found, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Public: the registry and verification


def registry(request, slug):
    """An association's public registry: the people it endorsed through Attune who chose to
    be listed and whose endorsement is current. Names, categories and dates only."""
    association = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.ASSOCIATION)
    entries = selectors.registry_entries(association=association)
    return render(
        request, "endorsement/registry.html", {"association": association, "entries": entries}
    )


def verify(request, verification_id):
    endorsement = (
        Endorsement.objects.filter(
            verification_id=verification_id, source=EndorsementSource.APPLICATION
        )
        .select_related("learner", "association", "category")
        .first()
    )
    if endorsement is None:
        raise Http404("No endorsement has this verification number.")
    response = render(
        request,
        "endorsement/verify.html",
        {
            "endorsement": endorsement,
            "current": endorsement.is_current(timezone.localdate()),
            "holder": endorsement.learner.get_full_name() or "Name not recorded",
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response

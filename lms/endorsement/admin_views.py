"""Reviewer screens in Wagtail's admin. Every view finds the application through
``selectors.application_for_reviewer``: an association's administrators see its submitted
applications, its reviewers only those assigned to them, nobody another association's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where

from . import applications, selectors, tokens, webhooks
from .forms import (
    AssignReviewerForm,
    DecisionForm,
    EndpointForm,
    ExamResultForm,
    ReviewForm,
    TokenForm,
)
from .models import (
    ApplicationStatus,
    AssociationApiToken,
    ChecklistTick,
    WebhookDelivery,
    WebhookEndpoint,
)
from .views import _service_errors, evidence_response


def may_see_applications(user) -> bool:
    return can_anywhere(user=user, action=Action.REVIEW_APPLICATIONS) or can_anywhere(
        user=user, action=Action.MANAGE_APPLICATIONS
    )


@require_GET
def application_list(request):
    if not may_see_applications(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    qs = selectors.reviewable_applications(user=request.user)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return TemplateResponse(
        request,
        "endorsement/admin/applications.html",
        {
            "applications": qs[:200],
            "status": status,
            "statuses": [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
        },
    )


def _reviewable(request, pk):
    application = selectors.application_for_reviewer(user=request.user, pk=pk)
    if application is None:
        raise Http404("No such application among those you may review.")
    return application


FORM_ACTIONS = ("assign", "review", "decide", "exam")
ACTIONS = (*FORM_ACTIONS, "unassign", "resume")


def _form(action, application, *, areas, manages, data=None):
    if action == "assign":
        eligible = selectors.eligible_reviewers(application=application) if manages else ()
        return AssignReviewerForm(data, reviewers=eligible)
    if action == "review":
        return ReviewForm(data, areas=areas)
    return {"decide": DecisionForm, "exam": ExamResultForm}[action](data)


@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = _reviewable(request, pk)
    user = request.user
    areas = selectors.category_areas(category=application.category)
    manages = selectors.may_manage_applications(user=user, association=application.association)
    options = {"areas": areas, "manages": manages}
    forms = {action: _form(action, application, **options) for action in FORM_ACTIONS}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise PermissionDenied
        if action in forms:
            forms[action] = _form(action, application, data=request.POST, **options)
        try:
            done = _act(request, application, action, forms.get(action))
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if action in forms and hasattr(exc, "error_dict"):
                _service_errors(forms[action], exc)
        else:
            if done:
                messages.success(request, done)
                return redirect("applications_admin:application", application.pk)
    context = selectors.review_context(application=application, user=user)
    return TemplateResponse(
        request,
        "endorsement/admin/application.html",
        {**context, "forms": forms, "manages": manages, "areas": areas},
    )


def _act(request, application, action, form) -> str:
    """One POST action; returns the success message, or "" when its form is invalid."""
    user, post = request.user, request.POST
    if form is not None and not form.is_valid():
        return ""
    data = form.cleaned_data if form is not None else {}
    if action == "assign":
        reviewer = data["reviewer"]
        applications.assign_reviewer(application=application, reviewer=reviewer, by=user)
        return f"{reviewer} reviews this application."
    if action == "unassign":
        assignment = application.assignments.filter(pk=post.get("assignment") or None).first()
        if assignment is None or not applications.remove_reviewer(
            application=application, reviewer=assignment.reviewer, by=user
        ):
            raise ValidationError("Only a reviewer who has not reviewed yet can be taken off.")
        return f"{assignment.reviewer} no longer reviews this application."
    if action == "review":
        applications.record_review(
            application=application,
            reviewer=user,
            marks=form.marks(),
            recommendation=data["recommendation"],
            comments=data["comments"],
        )
        return "Your review was recorded."
    if action == "decide":
        decision = applications.decide_application(application=application, by=user, **data)
        return f"Decision recorded: {decision.get_outcome_display()}."
    if action == "exam":
        applications.record_exam_result(application=application, by=user, **data)
        return "The exam result was recorded."
    applications.resume_review(application=application, by=user)
    return "The application is back in review."


@require_GET
def evidence(request, pk, tick_id):
    """A checklist item's evidence file, for the reviewers of an application it was
    submitted with."""
    application = _reviewable(request, pk)
    tick = ChecklistTick.objects.filter(
        pk=tick_id, submissions__application=application, learner=application.learner
    ).first()
    if tick is not None:
        record_event(
            action=AuditAction.DATA_EXPORTED,
            organization=application.association,
            target=application,
            details={"evidence": tick.pk, **export_details(request)},
        )
    return evidence_response(tick)


# ---------------------------------------------------------------------------------------------
# Integrations: API tokens, webhook endpoints and the delivery log


def _integration_associations(user):
    associations = organizations_where(user=user, action=Action.MANAGE_INTEGRATIONS)
    if not associations.exists():
        raise PermissionDenied
    return associations


@require_http_methods(["GET", "POST"])
def integrations(request):
    """Tokens and endpoints of the associations whose integrations the user manages. A new
    token or secret is shown on the response to the POST that made it, and never again."""
    associations = _integration_associations(request.user)
    token_form = TokenForm(associations=associations, prefix="token")
    endpoint_form = EndpointForm(associations=associations, prefix="endpoint")
    shown = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create_token":
                token_form = TokenForm(request.POST, associations=associations, prefix="token")
                if token_form.is_valid():
                    row, plaintext = tokens.create_token(by=request.user, **token_form.cleaned_data)
                    shown = {"token": plaintext, "token_row": row}
                    token_form = TokenForm(associations=associations, prefix="token")
            elif action == "revoke_token":
                row = get_object_or_404(
                    AssociationApiToken, pk=request.POST.get("token"), association__in=associations
                )
                tokens.revoke_token(token=row, by=request.user)
                messages.success(request, f"The token “{row.name}” was revoked.")
                return redirect("integrations_admin:integrations")
            elif action == "add_endpoint":
                endpoint_form = EndpointForm(
                    request.POST, associations=associations, prefix="endpoint"
                )
                if endpoint_form.is_valid():
                    endpoint, secret = webhooks.register_endpoint(
                        by=request.user, **endpoint_form.cleaned_data
                    )
                    shown = {"secret": secret, "endpoint": endpoint}
                    endpoint_form = EndpointForm(associations=associations, prefix="endpoint")
            elif action == "deactivate_endpoint":
                endpoint = get_object_or_404(
                    WebhookEndpoint,
                    pk=request.POST.get("endpoint"),
                    association__in=associations,
                )
                webhooks.deactivate_endpoint(endpoint=endpoint, by=request.user)
                messages.success(request, f"{endpoint.url} receives nothing more.")
                return redirect("integrations_admin:integrations")
            else:
                raise PermissionDenied
        except ValidationError as exc:
            form = endpoint_form if action == "add_endpoint" else token_form
            _service_errors(form, exc)
    response = TemplateResponse(
        request,
        "endorsement/admin/integrations.html",
        {
            "tokens": AssociationApiToken.objects.filter(
                association__in=associations
            ).select_related("association", "created_by"),
            "endpoints": WebhookEndpoint.objects.filter(
                association__in=associations
            ).select_related("association"),
            "token_form": token_form,
            "endpoint_form": endpoint_form,
            **shown,
        },
    )
    # A page that shows a secret is never cached.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def deliveries(request):
    """The delivery log: each event sent to each endpoint, its attempts and response codes,
    and a button to send it again."""
    associations = _integration_associations(request.user)
    if request.method == "POST":
        delivery = get_object_or_404(
            WebhookDelivery,
            pk=request.POST.get("delivery"),
            endpoint__association__in=associations,
        )
        try:
            webhooks.redeliver(delivery=delivery, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The delivery is queued again (same event id).")
        return redirect("integrations_admin:deliveries")
    log = (
        WebhookDelivery.objects.filter(endpoint__association__in=associations)
        .select_related("event", "endpoint")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-pk")[:100]
    )
    return TemplateResponse(request, "endorsement/admin/deliveries.html", {"deliveries": log})

"""Reviewer screens in Wagtail's admin. Every view finds the application through
``selectors.review.application_for_reviewer``: an association's administrators see its
submitted applications, its reviewers only those assigned to them, nobody another
association's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere

from ..forms import AssignReviewerForm, DecisionForm, ExamResultForm, ReviewForm
from ..models import ApplicationStatus, ChecklistTick
from ..selectors.fees import fee_for_display
from ..selectors.requirements import category_areas
from ..selectors.review import (
    application_for_reviewer,
    eligible_reviewers,
    may_manage_applications,
    review_context,
    reviewable_applications,
)
from ..services.review import (
    assign_reviewer,
    decide_application,
    record_exam_result,
    record_review,
    remove_reviewer,
    resume_review,
)
from .checklist import evidence_response


def may_see_applications(user) -> bool:
    return can_anywhere(user=user, action=Action.REVIEW_APPLICATIONS) or can_anywhere(
        user=user, action=Action.MANAGE_APPLICATIONS
    )


@require_GET
def application_list(request):
    if not may_see_applications(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    qs = reviewable_applications(user=request.user)
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
    application = application_for_reviewer(user=request.user, pk=pk)
    if application is None:
        raise Http404("No such application among those you may review.")
    return application


FORM_ACTIONS = ("assign", "review", "decide", "exam")

ACTIONS = (*FORM_ACTIONS, "unassign", "resume")


def _form(action, application, *, areas, manages, data=None):
    if action == "assign":
        eligible = eligible_reviewers(application=application) if manages else ()
        return AssignReviewerForm(data, reviewers=eligible)
    if action == "review":
        return ReviewForm(data, areas=areas)
    return {"decide": DecisionForm, "exam": ExamResultForm}[action](data)


@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = _reviewable(request, pk)
    user = request.user
    areas = category_areas(category=application.category)
    manages = may_manage_applications(user=user, association=application.association)
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
                forms[action].add_service_errors(exc)
        else:
            if done:
                messages.success(request, done)
                return redirect("applications_admin:application", application.pk)
    context = review_context(application=application, user=user)
    return TemplateResponse(
        request,
        "endorsement/admin/application.html",
        {
            **context,
            "forms": forms,
            "manages": manages,
            "areas": areas,
            "fee": fee_for_display(application=application),
        },
    )


def _act(request, application, action, form) -> str:
    """One POST action; returns the success message, or "" when its form is invalid."""
    user, post = request.user, request.POST
    if form is not None and not form.is_valid():
        return ""
    data = form.cleaned_data if form is not None else {}
    if action == "assign":
        reviewer = data["reviewer"]
        assign_reviewer(application=application, reviewer=reviewer, by=user)
        return _("%(reviewer)s reviews this application.") % {"reviewer": reviewer}
    if action == "unassign":
        assignment = application.assignments.filter(pk=post.get("assignment") or None).first()
        if assignment is None or not remove_reviewer(
            application=application, reviewer=assignment.reviewer, by=user
        ):
            raise ValidationError(_("Only a reviewer who has not reviewed yet can be taken off."))
        return _("%(reviewer)s no longer reviews this application.") % {
            "reviewer": assignment.reviewer
        }
    if action == "review":
        record_review(
            application=application,
            reviewer=user,
            marks=form.marks(),
            recommendation=data["recommendation"],
            comments=data["comments"],
        )
        return _("Your review was recorded.")
    if action == "decide":
        decision = decide_application(application=application, by=user, **data)
        return _("Decision recorded: %(outcome)s.") % {"outcome": decision.get_outcome_display()}
    if action == "exam":
        record_exam_result(application=application, by=user, **data)
        return _("The exam result was recorded.")
    resume_review(application=application, by=user)
    return _("The application is back in review.")


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

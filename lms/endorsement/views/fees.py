"""Association admins' fee screens in Wagtail's admin: the applications whose fee is still
due (drafts included: the fee is paid before submitting) and waiving one, with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..models import Application
from ..selectors.fees import fee_for_display, fees_due
from ..services.fees import waive_fee


class WaiveFeeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the fee waived?"),
        max_length=300,
        help_text=gettext_lazy("For example: a scholarship. The applicant sees this reason."),
    )


def _managed(user):
    return organizations_where(user=user, action=Action.MANAGE_APPLICATIONS)


@require_GET
def fee_list(request):
    managed = _managed(request.user)
    if not request.user.is_superuser and not managed.exists():
        raise PermissionDenied
    rows = [
        (fee, fee_for_display(application=fee.application))
        for fee in fees_due(associations=managed)
    ]
    return TemplateResponse(request, "endorsement/admin/fees.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def fee_detail(request, pk):
    application = (
        Application.objects.select_related("learner", "association", "category")
        .filter(pk=pk, association__in=_managed(request.user))
        .first()
    )
    if application is None:
        raise Http404("No such application among those you manage.")
    form = WaiveFeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            waive_fee(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The fee is waived; the applicant can submit."))
            return redirect("applications_admin:fee", application.pk)
    return TemplateResponse(
        request,
        "endorsement/admin/fee.html",
        {"application": application, "fee": fee_for_display(application=application), "form": form},
    )

"""The association's administrators revoke an endorsement it granted (Wagtail admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import RevokeEndorsementForm
from ..models import Endorsement, EndorsementSource
from ..selectors.review import may_manage_applications
from ..services.revocation import revoke_endorsement


@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    endorsement = (
        Endorsement.objects.filter(pk=pk, source=EndorsementSource.APPLICATION)
        .select_related("learner", "association", "category", "application")
        .first()
    )
    # Another association's endorsement is "not found", as on every reviewer screen.
    if endorsement is None or not may_manage_applications(
        user=request.user, association=endorsement.association
    ):
        raise Http404("No such endorsement among those you manage.")
    form = RevokeEndorsementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revoke_endorsement(
                endorsement=endorsement, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc)
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The %(code)s endorsement of %(holder)s was revoked.")
                % {"code": endorsement.category.code, "holder": endorsement.learner},
            )
            if endorsement.application_id:
                return redirect("applications_admin:application", endorsement.application_id)
            return redirect("applications_admin:applications")
    return TemplateResponse(
        request, "endorsement/admin/revoke.html", {"endorsement": endorsement, "form": form}
    )

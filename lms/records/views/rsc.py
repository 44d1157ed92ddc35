"""Reflective supervision/consultation: the learner logs a session and can resend the
co-signature link; the supervisor opens the link, signed in, and confirms or declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.organizations.branding import brand_for_request

from ..forms import CosignForm, RSCSessionForm
from ..models import RSCSession
from ..services import rsc


@login_required
@require_http_methods(["GET", "POST"])
def log_rsc_session(request):
    form = RSCSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = rsc.log_rsc_session(
                learner=request.user, brand=brand_for_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Session logged. We e-mailed %(email)s a link to co-sign it.")
                % {"email": record.supervisor_email},
            )
            return redirect("records:detail", record.verification_id)
    return render(request, "records/rsc_form.html", {"form": form})


@login_required
@require_POST
def resend_cosign_request(request, verification_id):
    record = get_object_or_404(RSCSession, verification_id=verification_id, learner=request.user)
    try:
        rsc.request_rsc_cosignature(
            record=record, by=request.user, brand=brand_for_request(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": record.supervisor_email}
        )
    return redirect("records:detail", record.verification_id)


@require_http_methods(["GET", "POST"])
def rsc_cosign(request, token):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        record = rsc.rsc_session_for_token(token=token, user=request.user)
    except rsc.CosignLinkError as exc:
        status = 403 if exc.reason == exc.WRONG_USER else 410
        return render(request, "records/rsc_cosign_error.html", {"error": exc}, status=status)
    form = CosignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        if decision not in {"confirm", "decline"}:
            form.add_error(None, _("Choose confirm or decline."))
        else:
            try:
                record = rsc.decide_rsc_cosignature(
                    token=token,
                    user=request.user,
                    confirm=decision == "confirm",
                    comment=form.cleaned_data["comment"],
                )
            except rsc.CosignLinkError as exc:
                return render(request, "records/rsc_cosign_error.html", {"error": exc}, status=410)
            return render(request, "records/rsc_cosign_done.html", {"record": record})
    return render(request, "records/rsc_cosign.html", {"record": record, "form": form})

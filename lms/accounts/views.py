from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .erasure import request_erasure
from .forms import ErasureRequestForm, ProfileForm, SharingForm, association_queryset
from .licenses import licenses_of, remove_license, save_license
from .models import ConsentScope, LicenseProfession
from .privacy import export_archive, retention_rules_for, sections
from .selectors import consents_of, erasure_requests_of, profile_of
from .services import grant_consent, revoke_consent, update_profile


@login_required
def profile(request):
    instance = profile_of(user=request.user)
    initial = {"first_name": request.user.first_name, "last_name": request.user.last_name}
    form = ProfileForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    licenses = list(licenses_of(user=request.user))
    held = {lic.profession for lic in licenses}
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "licenses": licenses,
            # The add form offers the licenses not kept yet (one per profession).
            "license_choices": [c for c in LicenseProfession.choices if c[0] not in held],
        },
    )


@login_required
@require_POST
def licenses(request):
    """Add, change or remove one of the learner's professional licenses (by profession:
    a learner holds one of each, and only their own are ever named)."""
    profession = request.POST.get("profession", "")
    if request.POST.get("action") == "remove":
        if remove_license(user=request.user, profession=profession):
            messages.success(request, _("The license was removed from your profile."))
        return redirect(reverse("accounts:profile") + "#licenses")
    try:
        save_license(
            user=request.user,
            profession=profession,
            number=request.POST.get("number", ""),
            jurisdiction=request.POST.get("jurisdiction", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your license was saved."))
    return redirect(reverse("accounts:profile") + "#licenses")


SHARED_TEXT = {
    (ConsentScope.ASSOCIATION_RECORDS, True): gettext_lazy(
        "You now share your records with %(association)s."
    ),
    (ConsentScope.ASSOCIATION_RECORDS, False): gettext_lazy(
        "You stopped sharing your records with %(association)s."
    ),
    (ConsentScope.LEARNING_ACTIVITY, True): gettext_lazy(
        "You now share your learning activity with %(association)s."
    ),
    (ConsentScope.LEARNING_ACTIVITY, False): gettext_lazy(
        "You stopped sharing your learning activity with %(association)s; nothing more is sent."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request):
    """Which associations may receive the learner's records in their own systems (the API
    and webhooks), and their learning activity in their learning record store (xAPI). A
    change takes effect with the next request or delivery."""
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            association = form.cleaned_data["organization"]
            share, scope = form.cleaned_data["share"], form.cleaned_data["scope"]
            change = grant_consent if share else revoke_consent
            try:
                change(user=request.user, organization=association, scope=scope)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                text = SHARED_TEXT[(scope, share)]
                messages.success(request, text % {"association": association})
            return redirect("accounts:sharing")
        messages.error(request, _("Choose an association and whether to share."))
        return redirect("accounts:sharing")
    scopes = (ConsentScope.ASSOCIATION_RECORDS, ConsentScope.LEARNING_ACTIVITY)
    consents = list(consents_of(user=request.user).filter(scope__in=scopes))
    active = {(c.organization_id, c.scope): c for c in consents if c.is_active}
    associations = list(association_queryset())

    def rows(scope):
        return [(a, active.get((a.pk, scope))) for a in associations]

    ended = [c for c in consents if not c.is_active]
    return render(
        request,
        "accounts/sharing.html",
        {
            "rows": rows(ConsentScope.ASSOCIATION_RECORDS),
            "activity_rows": rows(ConsentScope.LEARNING_ACTIVITY),
            "ended": ended,
        },
    )


def _your_data_page(request, form, status=200):
    return render(
        request,
        "accounts/your_data.html",
        {
            "form": form,
            "sections": sections(),
            "requests": erasure_requests_of(user=request.user),
            "retention": retention_rules_for(user=request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def your_data(request):
    """What Attune holds about the person: download it all, or ask to be erased."""
    return _your_data_page(request, ErasureRequestForm(user=request.user))


@login_required
@require_POST
def export_data(request):
    """The person's own data as a ZIP, made now (a few hundred rows and a few PDFs)."""
    content = export_archive(user=request.user, site_name=settings.WAGTAIL_SITE_NAME)
    record_event(
        action=AuditAction.PERSONAL_DATA_EXPORTED,
        target=request.user,
        details={"bytes": len(content)},
    )
    response = HttpResponse(content, content_type="application/zip")
    filename = f"attune-my-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def request_erasure_view(request):
    form = ErasureRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Your request was not sent: see the form below."))
        return _your_data_page(request, form, status=400)
    try:
        request_erasure(user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Your request to be erased was received. A platform administrator will "
                "process it; we will keep what associations must keep, as described below."
            ),
        )
    return redirect("accounts:your_data")

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm, SharingForm, association_queryset
from .models import ConsentScope
from .selectors import consents_of, profile_of
from .services import grant_consent, revoke_consent, update_profile


@login_required
def profile(request):
    instance = profile_of(user=request.user)
    initial = {"first_name": request.user.first_name, "last_name": request.user.last_name}
    form = ProfileForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request):
    """Which associations may receive the learner's records in their own systems (the API
    and webhooks). A change takes effect with the next request or delivery."""
    scope = ConsentScope.ASSOCIATION_RECORDS
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            association = form.cleaned_data["organization"]
            share = form.cleaned_data["share"]
            change = grant_consent if share else revoke_consent
            try:
                change(user=request.user, organization=association, scope=scope)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                done = "now share" if share else "stopped sharing"
                messages.success(request, f"You {done} your records with {association}.")
            return redirect("accounts:sharing")
        messages.error(request, "Choose an association and whether to share.")
        return redirect("accounts:sharing")
    consents = list(consents_of(user=request.user).filter(scope=scope))
    active = {c.organization_id: c for c in consents if c.is_active}
    rows = [(association, active.get(association.pk)) for association in association_queryset()]
    ended = [c for c in consents if not c.is_active]
    return render(request, "accounts/sharing.html", {"rows": rows, "ended": ended})

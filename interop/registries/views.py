"""The learner's "My registry IDs" page: their ID in each registry, checked against the
registry's format, shown to them and used only in the rosters of the associations they
share their records with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.accounts.models import ConsentScope
from lms.accounts.selectors import consents_of

from .formats import registry_formats
from .forms import RegistryIdsForm
from .selectors import registry_ids_of
from .services import set_registry_ids


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    form = RegistryIdsForm(request.POST or None, initial=registry_ids_of(user=request.user))
    if request.method == "POST":
        if form.is_valid():
            set_registry_ids(
                learner=request.user,
                ids={code: form.cleaned_data[code] for code in registry_formats()},
            )
            messages.success(request, _("Your registry IDs were saved."))
            return redirect("interop_registries:mine")
        messages.error(request, _("Nothing was saved: correct the registry ID below."))
    sharing = [
        consent.organization
        for consent in consents_of(user=request.user).filter(
            scope=ConsentScope.ASSOCIATION_RECORDS, revoked_at__isnull=True
        )
    ]
    status = 400 if form.errors else 200
    return render(
        request, "registries/mine.html", {"form": form, "sharing": sharing}, status=status
    )

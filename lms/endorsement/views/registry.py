"""The public registry of an association, a holder's listing in it, and the public
verification of an endorsement granted through Attune.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.organizations.models import Organization, OrganizationKind

from ..forms import RegistryListingForm
from ..models import Endorsement, EndorsementSource
from ..selectors.registry import registry_entries
from ..services.registry import set_registry_listing


@login_required
@require_POST
def registry_listing(request, pk):
    form = RegistryListingForm(request.POST)
    form.is_valid()
    try:
        endorsement = set_registry_listing(
            learner=request.user, endorsement_id=pk, listed=form.cleaned_data.get("listed", False)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if endorsement.listed_in_registry:
            done = _("You are listed in %(association)s's public registry.")
        else:
            done = _("You are no longer listed in %(association)s's public registry.")
        messages.success(request, done % {"association": endorsement.association})
    return redirect(reverse("endorsement:applications") + "#endorsements")


def registry(request, slug):
    """An association's public registry: the people it endorsed through Attune who chose to
    be listed and whose endorsement is current. Names, categories and dates only."""
    association = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.ASSOCIATION)
    entries = registry_entries(association=association)
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
            "holder": endorsement.learner.public_name or _("Name not recorded"),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response

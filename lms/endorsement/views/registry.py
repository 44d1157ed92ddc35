"""The public registry of an association, a holder's listing in it, and the public
verification of an endorsement granted through Attune.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.organizations.models import Organization, OrganizationKind
from lms.records.credentials import SigningKeyUnavailable

from ..credentials import signed_endorsement_credential
from ..forms import RegistryListingForm
from ..models import Endorsement, EndorsementSource
from ..selectors.credentials import current_credential
from ..selectors.registry import registry_entries
from ..services.credentials import issue_endorsement_credential
from ..services.registry import set_registry_listing

logger = logging.getLogger(__name__)


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


def _granted(verification_id) -> Endorsement:
    endorsement = (
        Endorsement.objects.filter(
            verification_id=verification_id, source=EndorsementSource.APPLICATION
        )
        .select_related("learner", "association", "category")
        .first()
    )
    if endorsement is None:
        raise Http404("No endorsement has this verification number.")
    return endorsement


def verify(request, verification_id):
    endorsement = _granted(verification_id)
    credential = None if endorsement.is_revoked else current_credential(endorsement=endorsement)
    response = render(
        request,
        "endorsement/verify.html",
        {
            "endorsement": endorsement,
            "current": endorsement.is_current(timezone.localdate()),
            "holder": endorsement.learner.public_name or _("Name not recorded"),
            "credential": credential,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _credential_response(issued, *, filename: str):
    response = JsonResponse(
        signed_endorsement_credential(issued),
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def verify_credential(request, verification_id):
    """The endorsement's signed credential, public like the verification page that links
    it (the page shows the holder's name; so does the credential). A revoked endorsement's
    credential is not handed out any more; copies already out say revoked in the status
    list."""
    endorsement = _granted(verification_id)
    issued = None if endorsement.is_revoked else current_credential(endorsement=endorsement)
    if issued is None:
        raise Http404("This endorsement has no credential in force.")
    try:
        response = _credential_response(
            issued, filename=f"endorsement-{endorsement.category.code}.json"
        )
    except SigningKeyUnavailable:
        logger.exception("Credential for endorsement %s could not be signed", endorsement.pk)
        raise Http404("The credential cannot be signed at the moment.") from None
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def holder_credential(request, pk):
    """The holder downloads their endorsement's credential. An endorsement granted before
    Attune issued credentials gets its first one when the holder asks for it (a POST)."""
    endorsement = (
        Endorsement.objects.filter(pk=pk, learner=request.user)
        .select_related("association", "category")
        .first()
    )
    if endorsement is None:
        raise Http404("No such endorsement of yours.")
    back = reverse("endorsement:applications") + "#endorsements"
    issued = None if endorsement.is_revoked else current_credential(endorsement=endorsement)
    may_issue = endorsement.is_granted_here and not endorsement.is_revoked
    if issued is None and request.method == "POST" and may_issue:
        issued = issue_endorsement_credential(endorsement=endorsement)
    if issued is None:
        if endorsement.is_revoked:
            messages.error(request, _("This endorsement was revoked, so it has no credential."))
        elif endorsement.is_granted_here:
            messages.info(
                request, _("Ask for the credential with its button on your endorsements list.")
            )
        else:
            messages.error(
                request,
                _("Only an endorsement granted through an application in Attune has a credential."),
            )
        return redirect(back)
    try:
        return _credential_response(
            issued, filename=f"endorsement-{endorsement.category.code}.json"
        )
    except SigningKeyUnavailable:
        logger.exception("Credential for endorsement %s could not be signed", endorsement.pk)
        messages.error(
            request,
            _(
                "Attune cannot sign credentials at the moment: the fault is ours and has been "
                "logged for the people who run it. Your endorsement is safe; please try again "
                "later."
            ),
        )
        return redirect(back)

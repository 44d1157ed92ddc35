"""The association administrator's integration screens in Wagtail's admin: API tokens,
webhook endpoints and the delivery log. Each lists and acts on the associations whose
integrations the signed-in user manages, and nothing of another association's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where
from lms.parsing import parse_id

from . import endpoint_health, tokens, webhooks
from .forms import EndpointForm, TokenForm
from .models import AssociationApiToken, WebhookDelivery, WebhookEndpoint
from .tasks import queue_due_on_commit


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
                    AssociationApiToken,
                    pk=parse_id(request.POST.get("token", "")),
                    association__in=associations,
                )
                tokens.revoke_token(token=row, by=request.user)
                messages.success(
                    request, _("The token “%(name)s” was revoked.") % {"name": row.name}
                )
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
                    pk=parse_id(request.POST.get("endpoint", "")),
                    association__in=associations,
                )
                webhooks.deactivate_endpoint(endpoint=endpoint, by=request.user)
                messages.success(
                    request, _("%(url)s receives nothing more.") % {"url": endpoint.url}
                )
                return redirect("integrations_admin:integrations")
            else:
                raise PermissionDenied
        except ValidationError as exc:
            form = endpoint_form if action == "add_endpoint" else token_form
            form.add_service_errors(exc)
    response = TemplateResponse(
        request,
        "integrations/admin/integrations.html",
        {
            "tokens": AssociationApiToken.objects.filter(
                association__in=associations
            ).select_related("association", "created_by"),
            "endpoints": endpoint_health.with_waiting(
                WebhookEndpoint.objects.filter(association__in=associations).select_related(
                    "association"
                )
            ),
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
            pk=parse_id(request.POST.get("delivery", "")),
            endpoint__association__in=associations,
        )
        try:
            webhooks.redeliver(delivery=delivery, by=request.user)
            queue_due_on_commit()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The delivery is queued again (same event id)."))
        return redirect("integrations_admin:deliveries")
    log = (
        WebhookDelivery.objects.filter(endpoint__association__in=associations)
        .select_related("event", "endpoint")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-pk")[:100]
    )
    return TemplateResponse(request, "integrations/admin/deliveries.html", {"deliveries": log})


@require_POST
def reenable_endpoint(request):
    """Send to an endpoint that was disabled after failing again: what waited is sent, each
    event once."""
    associations = _integration_associations(request.user)
    endpoint = get_object_or_404(
        WebhookEndpoint, pk=parse_id(request.POST.get("endpoint", "")), association__in=associations
    )
    try:
        replayed = endpoint_health.reenable_endpoint(endpoint=endpoint, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        queue_due_on_commit()
        messages.success(
            request,
            ngettext(
                "%(url)s is enabled again; %(count)d delivery is being sent.",
                "%(url)s is enabled again; %(count)d deliveries are being sent.",
                replayed,
            )
            % {"url": endpoint.url, "count": replayed},
        )
    return redirect("integrations_admin:integrations")


class IntegrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_INTEGRATIONS)

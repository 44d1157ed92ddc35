"""The admin's screen for learning platforms (Wagtail admin): the organization's connected
platforms, Attune's URLs to enter in a platform, a form to connect one by hand, one-time
dynamic registration links, and each connection's deployments. Only the organizations whose
learning platforms the signed-in user manages (admins of associations and of faculty
institutes: ``Action.MANAGE_LEARNING_PLATFORMS``), and nothing of another's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where
from lms.parsing import parse_id

from ..forms import ConnectionForm, DeploymentsForm, RegistrationLinkForm
from ..models import DynamicRegistration, PlatformConnection
from ..services import connections, dynamic_registration


class PlatformsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_LEARNING_PLATFORMS)


def _organizations(user):
    organizations = organizations_where(user=user, action=Action.MANAGE_LEARNING_PLATFORMS)
    if not organizations.exists():
        raise PermissionDenied
    return organizations


def _connection(request, organizations, raw_id) -> PlatformConnection:
    return get_object_or_404(
        PlatformConnection.objects.select_related("registration", "organization"),
        pk=parse_id(raw_id or ""),
        organization__in=organizations,
    )


def _link_url(request, link) -> str:
    return request.build_absolute_uri(reverse("interop_lti:register", args=[link.token]))


@require_http_methods(["GET", "POST"])
def platforms(request):
    organizations = _organizations(request.user)
    form = ConnectionForm(organizations=organizations, prefix="connect")
    link_form = RegistrationLinkForm(organizations=organizations, prefix="link")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "connect":
            form = ConnectionForm(request.POST, organizations=organizations, prefix="connect")
            if form.is_valid():
                try:
                    connection = connections.connect_platform(by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    messages.success(
                        request,
                        _("%(name)s is connected.") % {"name": connection.registration.name},
                    )
                    return redirect("lti_admin:platforms")
        elif action == "make_link":
            link_form = RegistrationLinkForm(
                request.POST, organizations=organizations, prefix="link"
            )
            if link_form.is_valid():
                dynamic_registration.make_link(
                    organization=link_form.cleaned_data["organization"], by=request.user
                )
                messages.success(request, _("A new registration link is ready below."))
                return redirect("lti_admin:platforms")
        else:
            raise PermissionDenied
    links = DynamicRegistration.objects.filter(
        organization__in=organizations, status=DynamicRegistration.Status.OPEN
    ).select_related("organization")
    response = TemplateResponse(
        request,
        "lti/admin/platforms.html",
        {
            "connections": PlatformConnection.objects.filter(organization__in=organizations)
            .select_related("registration", "organization")
            .prefetch_related("registration__deployments"),
            "links": [
                (
                    link,
                    request.build_absolute_uri(reverse("interop_lti:register", args=[link.token])),
                )
                for link in links
                if link.is_usable
            ],
            "urls": connections.tool_urls(request),
            "form": form,
            "link_form": link_form,
        },
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def platform(request, connection_id):
    organizations = _organizations(request.user)
    connection = _connection(request, organizations, str(connection_id))
    registration = connection.registration
    current = "\n".join(
        registration.deployments.filter(is_active=True).values_list("deployment_id", flat=True)
    )
    form = DeploymentsForm(initial={"deployment_ids": current})
    if request.method == "POST":
        form = DeploymentsForm(request.POST)
        if form.is_valid():
            connections.set_deployments(
                connection=connection,
                deployment_ids=form.cleaned_data["deployment_ids"],
                by=request.user,
            )
            messages.success(request, _("The deployments are saved."))
            return redirect("lti_admin:platform", connection_id=connection.pk)
    return TemplateResponse(
        request,
        "lti/admin/platform.html",
        {
            "connection": connection,
            "registration": registration,
            "urls": connections.tool_urls(request, connection=connection),
            "form": form,
        },
    )


@require_POST
def set_active(request, connection_id):
    organizations = _organizations(request.user)
    connection = _connection(request, organizations, str(connection_id))
    active = request.POST.get("active") == "1"
    connections.set_active(connection=connection, active=active, by=request.user)
    if active:
        messages.success(request, _("Launches from this platform are accepted again."))
    else:
        messages.success(request, _("Launches from this platform are refused from now on."))
    return redirect("lti_admin:platform", connection_id=connection.pk)

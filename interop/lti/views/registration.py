"""The one-time dynamic registration link a platform opens (``/lti/register/<token>/``)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..models import DynamicRegistration
from ..services import dynamic_registration
from ..services.connections import tool_urls
from .embedding import embeddable


@embeddable
@never_cache
@require_GET
def register(request, registration_token):
    link = get_object_or_404(
        DynamicRegistration.objects.select_related("organization"), token=registration_token
    )
    config_url = request.GET.get("openid_configuration", "")
    if not config_url.startswith(("https://", "http://")):
        return TemplateResponse(
            request, "lti/registered.html", {"link": link, "missing": True}, status=400
        )
    try:
        connection = dynamic_registration.register(
            link=link,
            openid_configuration=config_url,
            registration_token=request.GET.get("registration_token", ""),
            urls=tool_urls(request),
        )
    except (dynamic_registration.RegistrationFailed, ValidationError) as exc:
        message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        return TemplateResponse(
            request, "lti/registered.html", {"link": link, "error": message}, status=400
        )
    return TemplateResponse(request, "lti/registered.html", {"connection": connection})

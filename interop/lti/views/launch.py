"""The platform's way in: OIDC login initiation, the launch, the one-time hand-off to a new
window, and the library-module page a launch may open. Every refusal renders the error page
with the reason in words (``services.errors``), never a traceback."""

import importlib
import json
import logging
from urllib.parse import urlencode

from django.contrib.auth import login
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.constants import SESSION_KEY
from lti_tool.models import LtiLaunch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from ..models import PlacementLaunch
from ..services.errors import LaunchRefused, refusal_for
from ..services.launches import complete_resource_launch, consume_nonce
from ..services.tool_config import AttuneToolConfig
from .embedding import embeddable

log = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"
HANDOFF_SALT = "interop.lti.handoff"
HANDOFF_SECONDS = 120
LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "lti_deployment_id",
    "client_id",
)


def refused(request, refusal: LaunchRefused):
    log.info("LTI launch refused: %s (%s)", refusal.reason.code, refusal.detail)
    response = TemplateResponse(
        request, "lti/error.html", {"reason": refusal.reason}, status=refusal.reason.status
    )
    return response


@embeddable
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login_initiation(request, registration_uuid=None):
    """Step one of a launch. A browser first checks it may keep cookies here (inside the
    platform's frame they may be blocked); it then asks again with ``lti1p3_new_window``."""
    params = request.GET if request.method == "GET" else request.POST
    target = params.get("target_link_uri")
    if not target or not params.get("iss") or not params.get("login_hint"):
        return refused(request, LaunchRefused("invalid", "missing login parameters"))
    if not params.get("lti1p3_new_window"):
        query = {key: params[key] for key in LOGIN_PARAMS if params.get(key)}
        query["lti1p3_new_window"] = "1"
        return TemplateResponse(
            request, "lti/login.html", {"continue_url": f"{request.path}?{urlencode(query)}"}
        )
    oidc = DjangoOIDCLogin(
        request,
        AttuneToolConfig(registration_uuid),
        launch_data_storage=DjangoCacheDataStorage(),
    )
    try:
        return oidc.redirect(request.build_absolute_uri(reverse("interop_lti:launch")))
    except (LtiException, OIDCException) as exc:
        return refused(request, refusal_for(exc, claims={"iss": params.get("iss")}))


def _claims(request) -> dict:
    """The id_token's body, unverified: only to word an error."""
    token = request.POST.get("id_token", "")
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        return json.loads(DjangoMessageLaunch.urlsafe_b64decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return {}


def _validated(request) -> LtiLaunch:
    message_launch = DjangoMessageLaunch(
        request, AttuneToolConfig(), launch_data_storage=DjangoCacheDataStorage()
    )
    try:
        message_launch.validate()
    except LtiException as exc:
        raise refusal_for(exc, claims=_claims(request)) from exc
    lti_launch = LtiLaunch(message_launch)
    consume_nonce(registration_id=lti_launch.registration.pk, nonce=lti_launch.get_claim("nonce"))
    return lti_launch


def _target_url(request, outcome) -> str:
    target = outcome.target
    if target.module is not None:
        return reverse("interop_lti:module", args=[target.module.pk])
    page = target.lesson or target.training
    return page.get_url(request) or page.full_url


def _deep_linking(request, lti_launch):
    """Deep linking is lti-services' screen (``views.deep_linking``)."""
    try:
        module = importlib.import_module("interop.lti.views.deep_linking")
    except ImportError:
        raise LaunchRefused("unsupported", "deep linking") from None
    return module.deep_linking_launch(request, lti_launch)


@embeddable
@csrf_exempt
@never_cache
@require_POST
def launch(request):
    """Step two: the platform's signed launch. The learner is signed in and sent to what the
    link opens; inside a frame they get a button that opens it in a new window."""
    try:
        lti_launch = _validated(request)
        if lti_launch.is_deep_link_launch:
            return _deep_linking(request, lti_launch)
        if not lti_launch.is_resource_launch:
            raise LaunchRefused("unsupported", "message type")
        outcome = complete_resource_launch(lti_launch=lti_launch)
    except LaunchRefused as refusal:
        return refused(request, refusal)
    login(request, outcome.user, backend=BACKEND)
    request.session[SESSION_KEY] = lti_launch.get_launch_id()
    url = _target_url(request, outcome)
    target = outcome.target
    if lti_launch.document_target in ("iframe", "frame"):
        token = signing.dumps(
            {"user": outcome.user.pk, "url": url, "launch": lti_launch.get_launch_id()},
            salt=HANDOFF_SALT,
        )
        return TemplateResponse(
            request,
            "lti/launched.html",
            {
                "title": str(target.lesson or target.training or target.module),
                "target_url": url,
                "handoff_url": reverse("interop_lti:handoff", args=[token]),
            },
        )
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def handoff(request, signed):
    """The new window of a framed launch: signs the learner in once (two minutes, one use)
    and opens the target. A used, old or forged link shows the error page."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(signed, salt=HANDOFF_SALT, max_age=HANDOFF_SECONDS)
    except signing.BadSignature:
        return refused(request, LaunchRefused("expired", "hand-off link"))
    if not cache.add(f"lti-handoff-used:{data['launch']}", 1, HANDOFF_SECONDS * 2):
        return refused(request, LaunchRefused("nonce_reused", "hand-off link"))
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return refused(request, LaunchRefused("unknown_platform", "account gone"))
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect(data["url"])


@require_GET
def module(request, module_id):
    """A library module opened by a launch: only for learners who launched a link to it."""
    if not request.user.is_authenticated:
        return refused(request, LaunchRefused("no_cookies", "not signed in"))
    launch_row = get_object_or_404(
        PlacementLaunch.objects.select_related("placement__module"),
        user=request.user,
        placement__module_id=module_id,
        placement__module__live=True,
    )
    return TemplateResponse(
        request, "lti/module.html", {"module": launch_row.placement.module, "title": _("Module")}
    )


@require_GET
def jwks(request):
    """Attune's public keys as a JWKS (what platforms check Attune's signatures with)."""
    from django.http import JsonResponse

    from ..services.keys import published_keys

    # Reads only: the key is made when the first platform is connected.
    response = JsonResponse(published_keys())
    response["Cache-Control"] = "public, max-age=3600"
    return response

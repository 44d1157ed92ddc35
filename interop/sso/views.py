"""An association site's sign-in through its membership system (SAML 2.0): start, the
assertion consumer, Attune's SP metadata, and linking an existing account by its password.
Every refusal is a page in the site's brand that says what happened and what to do; nothing
is changed by a refused answer."""

import datetime
import logging
from urllib.parse import urlencode

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from django.contrib.auth import login
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from lms.accounts.sso.provider import AttuneOAuth2Adapter

from . import oidc, saml
from .models import Protocol, ReceivedResponse
from .outcomes import (
    BACKEND,
    LINK_ATTEMPTS_KEY,
    PENDING_KEY,
    finish,
    refused,
    safe_next,
)
from .selectors import provider_for_request
from .services import (
    Claims,
    SignInRefused,
    forget_expired,
    link_with_password,
)

logger = logging.getLogger(__name__)

REQUESTS_KEY = "interop_sso_saml_requests"  # AuthnRequest id -> where to go afterwards
MAX_OUTSTANDING = 5
MAX_LINK_ATTEMPTS = 5
MAX_RESPONSE_CHARS = 500_000
RECEIVED_SECONDS = 300  # from the membership system's post to the browser's GET


def _saml_provider(request):
    provider = provider_for_request(request=request, protocol=Protocol.SAML)
    if provider is None:
        raise Http404
    return provider


@require_GET
def saml_metadata(request):
    provider = _saml_provider(request)
    try:
        xml = saml.sp_metadata(provider)
    except Exception:  # the IdP side is misconfigured: our metadata needs only our side
        logger.warning("SP metadata of %s failed", provider.pk, exc_info=True)
        return refused(request, "configuration", status=503)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@require_GET
def saml_login(request):
    provider = _saml_provider(request)
    next_url = safe_next(request, request.GET.get("next", ""))
    try:
        request_id, location = saml.authn_request(provider, relay_state=next_url)
    except saml.SamlRefused as exc:
        return refused(request, exc.reason, status=503)
    pending = dict(request.session.get(REQUESTS_KEY) or {})
    pending[request_id] = next_url
    request.session[REQUESTS_KEY] = dict(list(pending.items())[-MAX_OUTSTANDING:])
    return HttpResponseRedirect(location)


@csrf_exempt  # posted by the membership system's page; the signed answer is the check
@require_http_methods(["GET", "POST"])
def saml_acs(request):
    """The membership system's page posts the answer here from its own site, so the
    browser sends no session cookie (SameSite=Lax): it is held and the browser sent back by
    GET, which carries the session that started the sign-in, and is checked then."""
    provider = _saml_provider(request)
    if request.method == "POST":
        saml_response = request.POST.get("SAMLResponse", "")
        if not saml_response or len(saml_response) > MAX_RESPONSE_CHARS:
            return refused(request, "malformed")
        forget_expired(received_seconds=RECEIVED_SECONDS)
        held = ReceivedResponse.objects.create(
            provider=provider,
            token=get_random_string(48),
            saml_response=saml_response,
            relay_state=request.POST.get("RelayState", "")[:1000],
        )
        url = reverse("interop_sso:saml_acs") + "?" + urlencode({"received": held.token})
        return HttpResponseRedirect(url, status=303)
    with transaction.atomic():
        held = (
            ReceivedResponse.objects.select_for_update()
            .filter(provider=provider, token=request.GET.get("received", "")[:64])
            .first()
        )
        if held is not None:
            held.delete()  # used once, whatever comes of it
    too_old = timezone.now() - datetime.timedelta(seconds=RECEIVED_SECONDS)
    if held is None or held.received_at < too_old:
        return refused(request, "unsolicited")
    return _consume(request, provider, held.saml_response, held.relay_state)


def _consume(request, provider, saml_response: str, relay_state: str):
    outstanding = dict(request.session.get(REQUESTS_KEY) or {})
    try:
        assertion = saml.parse_response(
            provider, saml_response=saml_response, outstanding=outstanding
        )
    except saml.SamlRefused as exc:
        return refused(request, exc.reason)
    next_url = outstanding.pop(assertion.in_response_to, None)
    if next_url is None:  # started at the membership system (when allowed)
        next_url = safe_next(request, relay_state)
    request.session[REQUESTS_KEY] = outstanding
    return finish(
        request,
        provider,
        subject=assertion.subject,
        first=assertion.first,
        next_url=next_url,
        assertion=assertion,
    )


@require_GET
def oidc_login(request):
    """To the membership system's authorize endpoint (OpenID Connect), and back signed in."""
    provider = provider_for_request(request=request, protocol=Protocol.OIDC)
    if provider is None:
        raise Http404
    next_url = safe_next(request, request.GET.get("next", ""))
    try:
        app_provider = oidc.social_app(provider).get_provider(request)
        return app_provider.redirect(request, "login", next_url=next_url)
    except Exception:  # discovery unreachable or refused: the AMS's side, not the person's
        logger.warning("OIDC sign-in of %s could not start", provider.pk, exc_info=True)
        return refused(request, "configuration", status=503)


def oidc_callback(request):
    """allauth's callback with Attune's adapter (the ID token's signature always checked);
    ``oidc.sign_in_member`` takes over from its ``pre_social_login``."""
    provider = provider_for_request(request=request, protocol=Protocol.OIDC)
    if provider is None:
        raise Http404
    adapter = AttuneOAuth2Adapter(request, oidc.provider_id_for(provider))
    return OAuth2CallbackView.adapter_view(adapter)(request)


def _pending(request, provider):
    data = request.session.get(PENDING_KEY) or {}
    if data.get("provider") != provider.pk:
        return None, "/"
    claims = dict(data.get("claims") or {})
    expiry = claims.get("expires_on")
    claims["expires_on"] = datetime.date.fromisoformat(expiry) if expiry else None
    return Claims(**claims), data.get("next") or "/"


@require_http_methods(["GET", "POST"])
def link(request):
    """An account already uses the e-mail the membership system gave: its password, once,
    links the two (or the person leaves, and nothing is linked)."""
    provider = provider_for_request(request=request)
    if provider is None:
        raise Http404
    claims, next_url = _pending(request, provider)
    if claims is None:
        return refused(request, "expired_link")
    error = ""
    if request.method == "POST":
        attempts = int(request.session.get(LINK_ATTEMPTS_KEY) or 0) + 1
        request.session[LINK_ATTEMPTS_KEY] = attempts
        if attempts > MAX_LINK_ATTEMPTS:
            request.session.pop(PENDING_KEY, None)
            return refused(request, "expired_link", status=429)
        try:
            user = link_with_password(
                request=request,
                provider=provider,
                claims=claims,
                password=request.POST.get("password", "")[:4096],
            )
        except SignInRefused as exc:
            return refused(request, exc.reason)
        if user is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=BACKEND)
            return HttpResponseRedirect(next_url)
        error = _("That password is not this account's. Try again, or reset it.")
    return render(
        request,
        "sso/link.html",
        {"provider": provider, "email": claims.email, "error": error},
        status=400 if error else 200,
    )

"""An association's membership system as an OpenID Connect provider, through allauth's
``openid_connect`` client (Attune's strict variant in ``lms.accounts.sso.provider``: a
nonce in every request, the ID token's signature always checked).

Its client registration is made from the connection at each request (an unsaved
``SocialApp``; the secret decrypted only then) and offered on the association's site
through ``site_sign_in_apps``; allauth's ``pre_social_login`` then hands the answer to the
same services as SAML: linked by ``sub`` (or the configured claim), never by e-mail alone.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from . import outcomes, secrets
from .models import IdentityProvider, Protocol
from .selectors import provider_for_request

PROVIDER_PREFIX = "ams-"


def provider_id_for(provider: IdentityProvider) -> str:
    return f"{PROVIDER_PREFIX}{provider.pk}"


def social_app(provider: IdentityProvider) -> SocialApp:
    return SocialApp(
        provider="openid_connect",
        provider_id=provider_id_for(provider),
        name=provider.name,
        client_id=provider.oidc_client_id,
        secret=secrets.decrypt(provider.oidc_secret_encrypted),
        settings={
            "server_url": provider.oidc_issuer,
            "fetch_userinfo": True,  # AMSs often put membership claims in userinfo only
            "oauth_pkce_enabled": True,
            "callback_path": reverse("interop_sso:oidc_callback"),
            "attune_ams": provider.pk,
        },
    )


def site_apps(sender, request, **kwargs) -> list[SocialApp]:
    """``site_sign_in_apps`` receiver: the association's AMS on its own site."""
    provider = provider_for_request(request=request, protocol=Protocol.OIDC)
    if provider is None or not provider.oidc_issuer or not provider.oidc_client_id:
        return []
    return [social_app(provider)]


def sign_in_member(sender, request, sociallogin, **kwargs):
    """allauth's ``pre_social_login`` for an AMS registration: Attune's own sign-in, then
    straight back (allauth never makes a social account of it)."""
    if not sociallogin.account.provider.startswith(PROVIDER_PREFIX):
        return
    provider = provider_for_request(request=request, protocol=Protocol.OIDC)
    if provider is None or provider_id_for(provider) != sociallogin.account.provider:
        raise ImmediateHttpResponse(outcomes.refused(request, "unsolicited"))
    data = sociallogin.account.extra_data or {}
    said = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}

    def first(name: str) -> str:
        value = said.get(name) if name else None
        if isinstance(value, list):
            value = value[0] if value else None
        return "" if value is None else str(value).strip()

    subject = first(provider.subject_attribute) if provider.subject_attribute else ""
    subject = subject or str(sociallogin.account.uid or "")
    next_url = outcomes.safe_next(request, sociallogin.state.get("next") or "/")
    raise ImmediateHttpResponse(
        outcomes.finish(request, provider, subject=subject, first=first, next_url=next_url)
    )

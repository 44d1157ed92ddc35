"""allauth's adapters for Attune: where ``?next=`` may go, which client registration serves
a host, how a platform sign-in becomes a site's sign-in, and the provider's issuer."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import clients
from .signals import site_sign_in_apps

# What a provider answers a silent (prompt=none) request when nobody is signed in there.
SILENT_FAILURES = {
    "login_required",
    "interaction_required",
    "consent_required",
    "account_selection_required",
}


def is_our_url(url: str, *, request) -> bool:
    """Relative URLs, and absolute ones on a host Attune serves (the platform or one of its
    sites), over HTTPS when the request is."""
    if not url:
        return False
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return True
    host = urlsplit(url).netloc
    return bool(host) and url_has_allowed_host_and_scheme(
        url, allowed_hosts=clients.our_hosts(), require_https=request.is_secure()
    )


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        return is_our_url(url, request=self.request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only the registration of the site serving the request: the sites share one
        provider id, so ``/accounts/oidc/attune/...`` means this site's client; and what
        ``site_sign_in_apps`` adds for that host."""
        if request is None:
            return super().list_apps(request, provider=provider, client_id=client_id)
        app = clients.site_app(request)
        apps = [app] if app is not None else []
        for _receiver, extra in site_sign_in_apps.send(sender=type(self), request=request):
            apps.extend(extra or [])
        return [
            app
            for app in apps
            if provider in (None, app.provider, app.provider_id)
            and client_id in (None, app.client_id)
        ]

    def is_open_for_signup(self, request, sociallogin):
        # Accounts are made on the platform; a site only signs in who exists there.
        return False

    def pre_social_login(self, request, sociallogin):
        claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
        expected = sociallogin.state.get("nonce")
        if not expected or claims.get("nonce") != expected:
            raise ImmediateHttpResponse(self._refused(request))
        if sociallogin.account.provider != clients.PROVIDER_ID:
            return  # another host's registration: its site_sign_in_apps receiver signs in
        if sociallogin.is_existing:
            return
        # The platform's subject is the user's id in the one database Attune has.
        user = get_user_model().objects.filter(pk=sociallogin.account.uid, is_active=True)
        user = user.first()
        if user is None:
            raise ImmediateHttpResponse(self._refused(request))
        sociallogin.user = user
        sociallogin.save(request, connect=True)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        state = (extra_context or {}).get("state") or {}
        if state.get("silent") and request.GET.get("error") in SILENT_FAILURES:
            # Nobody is signed in on the platform: back to the page, still anonymous.
            next_url = state.get("next") or "/"
            raise ImmediateHttpResponse(HttpResponseRedirect(next_url))

    @staticmethod
    def _refused(request):
        return render(request, "socialaccount/authentication_error.html", status=400)


class ProviderAdapter(DefaultOIDCAdapter):
    def get_issuer(self) -> str:
        # Fixed, not taken from the request: the sites' servers may reach the platform by
        # another address than browsers do, and the issuer must be the same for both.
        return clients.platform_url()

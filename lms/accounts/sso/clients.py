"""Client registrations: one per association site, on both sides of the protocol.

The platform's side is an ``allauth.idp.oidc`` ``Client`` (its secret stored hashed, its
redirect URI the site's callback); the site's side is a ``SocialApp`` of the
``openid_connect`` provider holding the secret and the site it belongs to. Both live in the
one database, and registering is idempotent: it updates the redirect URI when the site's
address changes and makes a new secret only when one side is missing.
"""

from urllib.parse import parse_qs, urlsplit

from allauth.idp.oidc.models import Client
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

PROVIDER = "openid_connect"
PROVIDER_ID = "attune"  # the path segment of /accounts/oidc/attune/login/
SCOPES = ["openid", "email", "profile"]


def platform_url() -> str:
    """Where the platform (the provider) is reached, by browsers and by the sites' servers."""
    return settings.ATTUNE_PLATFORM_URL.rstrip("/")


def platform_host() -> str:
    return urlsplit(platform_url()).netloc


CLIENT_PREFIX = "attune-site-"


def client_id_for(site: Site) -> str:
    return f"{CLIENT_PREFIX}{site.pk}"


def site_id_in_sign_in(next_url: str) -> int | None:
    """The id of the association site a sign-in on the platform was started from: its
    client id rides in the ``next`` address of the authorize request."""
    query = parse_qs(urlsplit(next_url or "").query)
    client_id = (query.get("client_id") or [""])[0]
    digits = client_id.removeprefix(CLIENT_PREFIX)
    if client_id == digits or not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        return None
    return int(digits)


def callback_url_for(site: Site) -> str:
    return site.root_url + reverse("attune_sso_callback")


@transaction.atomic
def register_site_client(*, site: Site, name: str = "") -> SocialApp:
    """Make (or bring up to date) the client registration of ``site``."""
    client_id = client_id_for(site)
    label = (name or site.site_name or site.hostname)[:40]
    client = Client.objects.select_for_update().filter(id=client_id).first()
    app = SocialApp.objects.filter(provider=PROVIDER, client_id=client_id).first()
    secret = None
    if client is None or app is None:
        secret = get_random_secret_key()
    if client is None:
        client = Client(id=client_id)
    client.name = label
    client.type = Client.Type.CONFIDENTIAL
    client.skip_consent = True  # our own sites: no "allow this application?" screen
    client.set_scopes(SCOPES)
    client.set_default_scopes(SCOPES)
    client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
    client.set_response_types([Client.ResponseType.CODE])
    client.set_redirect_uris([callback_url_for(site)])
    if secret is not None:
        client.set_secret(secret)
    client.save()
    if app is None:
        app = SocialApp(provider=PROVIDER, client_id=client_id)
    app.provider_id = PROVIDER_ID
    app.name = label
    if secret is not None:
        app.secret = secret
    # The platform's address is not stored: adapters.site_apps fills it in from settings.
    app.settings = {
        "attune_site_id": site.pk,
        "fetch_userinfo": False,  # the signed ID token carries what we need
        "oauth_pkce_enabled": True,
        "token_auth_method": "client_secret_post",
    }
    app.save()
    return app


def unregister_site_client(*, site: Site) -> None:
    client_id = client_id_for(site)
    SocialApp.objects.filter(provider=PROVIDER, client_id=client_id).delete()
    Client.objects.filter(id=client_id).delete()


def site_app(request) -> SocialApp | None:
    """The client registration of the site serving ``request``; None on the platform (and on
    any site without one, which then keeps its own sign-in). One query, kept on the request."""
    if not settings.ATTUNE_SSO:
        return None
    if hasattr(request, "_attune_sso_app"):
        return request._attune_sso_app
    app = None
    if request.get_host() != platform_host():
        site = Site.find_for_request(request)
        if site is not None:
            app = SocialApp.objects.filter(provider=PROVIDER, client_id=client_id_for(site)).first()
    if app is not None:
        app.settings = {**app.settings, "server_url": platform_url()}
    request._attune_sso_app = app
    return app


def our_hosts() -> set[str]:
    """Every host Attune serves: the platform and each Wagtail site (``host[:port]``)."""
    hosts = {platform_host()}
    for hostname, port in Site.objects.values_list("hostname", "port"):
        hosts.add(hostname if port in (80, 443) else f"{hostname}:{port}")
    return hosts

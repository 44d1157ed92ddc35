"""On an association host: the account pages are the platform's, the provider's endpoints
are not served, and an anonymous browser's first page tries one silent sign-in."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from .clients import platform_url, site_app
from .views import NO_SILENT_PARAM, SILENT_TRIED, safe_next

# Served by the platform only.
PROVIDER_PATHS = ("/identity/", "/.well-known/openid-configuration", "/.well-known/jwks.json")
# allauth's views a site serves itself: the way back from the platform, errors, signing out.
SITE_ACCOUNT_PATHS = ("/accounts/oidc/", "/accounts/3rdparty/", "/accounts/social/")
# Where a silent sign-in is never tried: files, APIs, the admin, sign-in itself.
NOT_PAGES = (
    "/accounts/", "/admin/", "/static/", "/media/", "/documents/", "/api/", "/play/",
    "/identity/", "/.well-known/", "/healthz", "/_util/", "/learning/heartbeat/",
)  # fmt: skip


def _start_url(request, next_url: str, **params) -> str:
    path = reverse("attune_sso_login")
    return f"{path}?{urlencode({'next': next_url, **params})}"


class SingleSignOnMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(("/accounts/", *PROVIDER_PATHS)):
            response = self._account_page(request, path)
        else:
            response = self._silent_sign_in(request, path)
        return response or self.get_response(request)

    def _account_page(self, request, path):
        if site_app(request) is None:
            return None  # the platform, or a site keeping its own sign-in
        if path.startswith(PROVIDER_PATHS):
            raise Http404
        if path.startswith(SITE_ACCOUNT_PATHS) or path == reverse("account_logout"):
            return None
        if path == reverse("account_login"):
            return HttpResponseRedirect(_start_url(request, safe_next(request)))
        if path == reverse("account_signup"):
            # Sign up on the platform, then come back through a sign-in on this site.
            back = request.build_absolute_uri(_start_url(request, safe_next(request)))
            return HttpResponseRedirect(f"{platform_url()}{path}?{urlencode({'next': back})}")
        # Password reset, e-mail addresses and their confirmation, two-factor: the platform's.
        return HttpResponseRedirect(platform_url() + request.get_full_path())

    def _silent_sign_in(self, request, path):
        if (
            request.method != "GET"
            or request.headers.get("Sec-Fetch-Mode") != "navigate"
            or request.headers.get("Sec-Fetch-Dest") != "document"
            or path.startswith(NOT_PAGES)
            or NO_SILENT_PARAM in request.GET
            or request.session.get(SILENT_TRIED)
            or request.user.is_authenticated
            or site_app(request) is None
        ):
            return None
        request.session[SILENT_TRIED] = True
        return HttpResponseRedirect(_start_url(request, request.get_full_path(), prompt="none"))

"""An association site's side of single sign-on: start a sign-in at the platform, and take
its answer. Both answer 404 on the platform (and on a site without a client registration)."""

from allauth.core.internal.httpkit import add_query_params
from allauth.idp.oidc import views as idp_views
from allauth.idp.oidc.models import Client
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_GET

from .adapters import is_our_url
from .clients import site_app
from .provider import AttuneOAuth2Adapter

# Set on the first anonymous page of a browser session that tried a silent sign-in.
SILENT_TRIED = "_attune_sso_silent_tried"
# Added to the page a browser that keeps no cookies returns to, so it is not sent again.
NO_SILENT_PARAM = "sso"


def safe_next(request) -> str:
    url = request.GET.get("next", "")
    return url if is_our_url(url, request=request) else "/"


@require_GET
def sign_in(request):
    """To the platform's authorize endpoint, and back to ``?next=`` signed in. With
    ``?prompt=none`` (sent by the middleware) the platform answers at once, signed in or
    not, and nobody is asked anything."""
    app = site_app(request)
    if app is None:
        raise Http404
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    provider = app.get_provider(request)
    silent = request.GET.get("prompt") == "none"
    if silent and not request.session.get(SILENT_TRIED):
        # The session did not come back: a client that keeps no cookies could never finish
        # the round trip, so it is not started (and the marker stops the middleware).
        return HttpResponseRedirect(add_query_params(next_url, {NO_SILENT_PARAM: "0"}))
    auth_params = provider.get_auth_params()
    if silent:
        auth_params["prompt"] = "none"
    return provider.redirect(
        request, "login", next_url=next_url, auth_params=auth_params, silent=silent
    )


def callback(request):
    app = site_app(request)
    if app is None:
        raise Http404
    view = OAuth2CallbackView.adapter_view(AttuneOAuth2Adapter(request, app.provider_id))
    return view(request)


def authorize(request):
    """The platform's authorize endpoint. A silent request (``prompt=none``) from one of our
    own sites, which never ask for consent, is answered like a visible one when the person
    is signed in here: allauth would otherwise want an earlier grant to that very site."""
    prompts = request.GET.get("prompt", "").split()
    if "none" in prompts and request.user.is_authenticated:
        client_id = request.GET.get("client_id", "")
        if Client.objects.filter(id=client_id, skip_consent=True).exists():
            query = request.GET.copy()
            rest = [p for p in prompts if p != "none"]
            if rest:
                query["prompt"] = " ".join(rest)
            else:
                query.pop("prompt")
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
    return idp_views.authorization(request)

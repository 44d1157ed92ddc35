"""The language switcher in every page's header: the choice is kept in the person's profile
(when signed in) and in the browser's language cookie, then the same page opens in it."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lms.accounts.services import set_preferred_language

from .languages import site_languages, url_in_language


@require_POST
def switch_language(request):
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    language = request.POST.get("language", "")
    if language not in site_languages(request).offered:
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        set_preferred_language(user=request.user, language=language)
    response = HttpResponseRedirect(url_in_language(request, next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response

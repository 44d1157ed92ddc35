"""The one place that wires every app's URLs together."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.views.portfolio import portfolio
from lms import views
from lms.accounts.sso import views as sso
from lms.endorsement import urls as endorsement_urls
from lms.integrations.api import api as integrations_api
from lms.organizations.views import switch_language

# The endorsement namespace: its own pages, and the portfolio page, which shows the catalog's
# trainings and so lives in courses.
endorsement = (
    [path("portfolio/", portfolio, name="portfolio"), *endorsement_urls.urlpatterns],
    endorsement_urls.app_name,
)

# Every sign-in goes through allauth (failed-login lockout, second factor): Wagtail's own
# admin and private-page login forms redirect there, keeping ?next=.
to_sign_in = RedirectView.as_view(url=settings.WAGTAILADMIN_LOGIN_URL, query_string=True)

urlpatterns = [
    path("admin/login/", to_sign_in),
    path("_util/login/", to_sign_in),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Single sign-on, an association site's side: these two take the place of allauth's own
    # OpenID Connect views (same paths) with a nonce and an always-checked ID token.
    path("accounts/oidc/attune/login/", sso.sign_in, name="attune_sso_login"),
    path("accounts/oidc/attune/login/callback/", sso.callback, name="attune_sso_callback"),
    path("accounts/", include("allauth.urls")),
    # The platform's side: the OpenID Connect provider (/.well-known/openid-configuration,
    # /identity/o/authorize, token, userinfo, logout, jwks), served on the platform host only.
    path("identity/o/authorize", sso.authorize, name="attune_sso_authorize"),
    path("", include("allauth.idp.urls")),
    path("account/", include("lms.accounts.urls")),
    # /records/... (learners' records) and /verify/<id>/ (public verification).
    path("", include("lms.records.urls")),
    # /portfolio/... (endorsement portfolio, readiness check, application export),
    # /applications/..., /references/<token>/, /registry/<slug>/, /endorsements/verify/<id>/.
    path("", include(endorsement)),
    # The versioned API associations' own systems read (OpenAPI at /api/v1/openapi.json).
    path("api/v1/", integrations_api.urls),
    # Private playback: a recording's signed sources and files (/play/...).
    path("play/", include("media_pipeline.urls")),
    # /learning/... (My learning, heartbeats, post-tests, evaluations, attendance, reports).
    path("learning/", include("courses.urls")),
    # /centers/... (rosters, seats, staff dashboards and exports, invitations, what staff
    # share) and /institutes/<slug>/library/ (where an institute's modules are used).
    path("", include("centers.urls")),
    # /payments/... (checkout, Stripe's webhook, memberships, receipts, invoices, reports).
    path("payments/", include("commerce.urls")),
    # /lti/... (LTI 1.3: launches, deep linking, the tool's keys), /sso/... (an association's
    # membership system as its members' sign-in), /registries/... (registry roster exports).
    path("lti/", include("interop.lti.urls")),
    path("sso/", include("interop.sso.urls")),
    path("registries/", include("interop.registries.urls")),
    path("healthz", views.healthz, name="healthz"),
    # The header's language switcher (every site): the profile, the browser, then back.
    path("language/", switch_language, name="switch_language"),
    # The interface's JavaScript strings in the request's language (gettext() in our scripts).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The living style guide of the design system (anyone who may open the admin).
    path("styleguide/", views.styleguide, name="styleguide"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The 500 page in the site's brand (404.html renders through the usual context processors).
handler500 = "lms.views.server_error"

# Wagtail serves every other path from the page tree of the site the request is for, in the
# language the URL names: English pages at /about/, their Spanish versions at /es/about/.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)

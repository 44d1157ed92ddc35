"""Request-level protections: the content security policy and short sessions for staff."""

import time
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils.module_loading import import_string
from wagtail.models import Site


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy from ``CONTENT_SECURITY_POLICY``, plus inline scripts under the
    Wagtail admin, whose templates still carry a few (inline panels, date pickers). The public
    site, the player and every learner page keep scripts to our own static files. Sent when
    ``ATTUNE_CSP`` is on (always in production; tests turn it on where they check it)."""

    def process_response(self, request, response):
        if not settings.ATTUNE_CSP:
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        path = request.path_info
        if path.startswith(settings.ATTUNE_CSP_ADMIN_PREFIX):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        if settings.ATTUNE_SSO:
            # A form's redirects are checked against the policy of the page holding it:
            # signing in on the platform (password, second factor, sign-up) ends on the site
            # that asked, and the sign-out in every page's header ends with a silent check
            # through the platform.
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), "'self'", *site_origins()]
            parts.update = update
        return parts


def site_origins() -> list[str]:
    """The origins of the platform and of Attune's Wagtail sites (Wagtail caches the list):
    signing out on a site ends with a silent sign-in check through the platform, too."""
    platform = urlsplit(settings.ATTUNE_PLATFORM_URL)
    origins = {f"{platform.scheme}://{platform.netloc}"}
    return sorted(origins | {root.root_url for root in Site.get_site_root_paths()})


def holds_staff_role(user) -> bool:
    """Staff are superusers, Django staff, and anyone holding a role other than plain center
    staff in some organization (admins, editors, reviewers, facilitators, managers)."""
    if user.is_superuser or user.is_staff:
        return True
    roles_by_organization = import_string(settings.ATTUNE_ROLES_BY_ORGANIZATION)
    roles = set().union(*roles_by_organization(user=user).values())
    return bool(roles & set(settings.ATTUNE_STAFF_SESSION_ROLES))


STAFF_SESSION_KEY = "_attune_staff_seen"
REFRESH_SECONDS = 60


def shorten_staff_session(*, request, user) -> None:
    """At sign-in: mark a staff member's session, which then ends after
    ``ATTUNE_STAFF_SESSION_IDLE_SECONDS`` without a request. Roles are read once here, so a
    role given during a session takes effect from the next sign-in."""
    if holds_staff_role(user):
        request.session[STAFF_SESSION_KEY] = int(time.time())
        request.session.set_expiry(settings.ATTUNE_STAFF_SESSION_IDLE_SECONDS)


class StaffSessionExpiryMiddleware:
    """Keeps a staff session's idle expiry moving while it is used. Learners keep
    ``SESSION_COOKIE_AGE``. The expiry is refreshed at most once a minute, so the session is
    not written on every request, and no query is made to know who is staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        seen = session.get(STAFF_SESSION_KEY) if session is not None else None
        if seen is None:
            return response
        # Also when the sign-in view has just set its own expiry ("remember me").
        idle = settings.ATTUNE_STAFF_SESSION_IDLE_SECONDS
        if int(time.time()) - seen >= REFRESH_SECONDS or session.get("_session_expiry") != idle:
            session[STAFF_SESSION_KEY] = int(time.time())
            session.set_expiry(idle)
        return response

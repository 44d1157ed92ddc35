"""Request-level protections: the content security policy and short sessions for staff."""

import time

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils.module_loading import import_string


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy from ``CONTENT_SECURITY_POLICY``, plus inline scripts under the
    Wagtail admin, whose templates still carry a few (inline panels, date pickers). The public
    site, the player and every learner page keep scripts to our own static files."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.ATTUNE_CSP_ADMIN_PREFIX):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts


def holds_staff_role(user) -> bool:
    """Staff are superusers, Django staff, and anyone holding a role other than plain center
    staff in some organization (admins, editors, reviewers, facilitators, managers)."""
    if user.is_superuser or user.is_staff:
        return True
    roles_by_organization = import_string(settings.ATTUNE_ROLES_BY_ORGANIZATION)
    roles = set().union(*roles_by_organization(user=user).values())
    return bool(roles & set(settings.ATTUNE_STAFF_SESSION_ROLES))


class StaffSessionExpiryMiddleware:
    """Staff sessions end after ``ATTUNE_STAFF_SESSION_IDLE_SECONDS`` without a request,
    learners keep ``SESSION_COOKIE_AGE``. The expiry is refreshed at most once a minute, so an
    active staff member is not signed out and the session is not written on every request."""

    REFRESH_SECONDS = 60
    TOUCHED_KEY = "_attune_staff_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view, so that the response that signs someone in already carries the
        # short expiry (the session middleware outside this one writes the cookie).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and holds_staff_role(user):
            session = request.session
            now = int(time.time())
            if now - session.get(self.TOUCHED_KEY, 0) >= self.REFRESH_SECONDS:
                session.set_expiry(settings.ATTUNE_STAFF_SESSION_IDLE_SECONDS)
                session[self.TOUCHED_KEY] = now
        return response

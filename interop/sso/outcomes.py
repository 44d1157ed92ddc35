"""How a sign-in through a membership system ends, whichever the protocol: signed in,
asked for a password to link an account using the same e-mail, or refused with a page in
the site's brand that says why."""

import dataclasses

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .services import Claims, SignInRefused, remember_assertion, sign_in

PENDING_KEY = "interop_sso_pending_link"
LINK_ATTEMPTS_KEY = "interop_sso_link_attempts"
BACKEND = "django.contrib.auth.backends.ModelBackend"

REASONS = {
    "configuration": _("This association's sign-in is not set up correctly. Sign in with your "
                       "e-mail and password meanwhile, and let the association know."),
    "malformed": _("The answer from the membership system could not be read."),
    "signature": _("The answer from the membership system was not signed with its key, or was "
                   "changed on the way."),
    "audience": _("The answer from the membership system was meant for another site."),
    "unsolicited": _("This sign-in was not started here, or was already finished. Start again "
                     "with the sign-in button."),
    "replay": _("This sign-in answer was already used. Start again with the sign-in button."),
    "invalid": _("The membership system's answer has expired or is not valid. Start again with "
                 "the sign-in button."),
    "subject": _("The membership system did not say who you are."),
    "email": _("The membership system did not give your e-mail address, so no account can be "
               "made. Ask the association to share it."),
    "inactive": _("This account is closed."),
    "linked_elsewhere": _("Your Attune account is already linked to another login of this "
                          "membership system. Sign in with that one, or ask the association."),
    "expired_link": _("This linking has expired. Start again with the sign-in button."),
    "two_factor": _("Your Attune account uses two-factor authentication, so it cannot be "
                    "linked with a password alone. Sign in with your e-mail, password and "
                    "second factor instead, or ask the association to link it."),
}  # fmt: skip


def refused(request, reason: str, *, status: int = 400):
    return render(
        request,
        "sso/refused.html",
        {"message": REASONS.get(reason, REASONS["invalid"]), "reason": reason},
        status=status,
    )


def safe_next(request, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and ok and url.startswith("/") else "/"


def finish(request, provider, *, subject: str, first, next_url: str, assertion=None):
    """What the membership system said (``first(name)``: an attribute's or claim's first
    value) signs the person in, or asks for their password to link, or is refused."""
    claims = Claims.read(provider=provider, subject=subject[:255], first=first)
    if not claims.subject:
        return refused(request, "subject")
    try:
        with transaction.atomic():
            if assertion is not None:
                remember_assertion(
                    provider=provider,
                    assertion_id=assertion.assertion_id,
                    not_on_or_after=assertion.not_on_or_after,
                )
            outcome = sign_in(provider=provider, claims=claims)
    except SignInRefused as exc:
        return refused(request, exc.reason)
    if outcome.needs_link:
        claims_data = dataclasses.asdict(claims)
        claims_data["expires_on"] = claims.expires_on.isoformat() if claims.expires_on else None
        request.session[PENDING_KEY] = {
            "provider": provider.pk,
            "claims": claims_data,
            "next": next_url,
        }
        request.session[LINK_ATTEMPTS_KEY] = 0
        return HttpResponseRedirect(reverse("interop_sso:link"))
    login(request, outcome.user, backend=BACKEND)
    return HttpResponseRedirect(next_url)

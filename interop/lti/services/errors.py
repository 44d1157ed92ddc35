"""Why a launch was refused, in words a platform administrator can act on.

pylti1p3 raises one exception type with an English sentence; ``refusal_for`` turns it (and
what caused it) into one of the reasons below, each with the HTTP status of the error page.
"""

from dataclasses import dataclass

import jwt
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiRegistration


@dataclass(frozen=True)
class Reason:
    code: str
    status: int
    title: str
    explanation: str


REASONS = {
    reason.code: reason
    for reason in (
        Reason(
            "bad_signature",
            403,
            _("The launch's signature does not match the platform's keys"),
            _(
                "The launch was not signed by a key the platform publishes at the keyset URL "
                "Attune has for it. Check the keyset URL in Attune's connection, and that "
                "the platform has not changed its keys without publishing them."
            ),
        ),
        Reason(
            "wrong_audience",
            403,
            _("The launch was meant for another tool"),
            _(
                "The launch names a client ID (its audience) that is not the one Attune has "
                "for this platform. Check the client ID in Attune's connection."
            ),
        ),
        Reason(
            "expired",
            403,
            _("The launch has expired"),
            _(
                "The launch's token is no longer valid (or not valid yet). Open the activity "
                "again from the platform; if this keeps happening, check the platform's clock."
            ),
        ),
        Reason(
            "nonce_reused",
            403,
            _("This launch was already used"),
            _(
                "A launch can be used once. Open the activity again from the platform "
                "rather than reloading or going back to this page."
            ),
        ),
        Reason(
            "unknown_platform",
            403,
            _("Attune does not know this platform"),
            _(
                "No active connection in Attune has this issuer and client ID. An "
                "administrator of the organization adds the platform in Attune's admin "
                "under Learning platforms (LTI)."
            ),
        ),
        Reason(
            "unknown_deployment",
            403,
            _("Attune does not know this deployment"),
            _(
                "The platform launched from a deployment ID that is not entered (or not "
                "active) in Attune's connection for it. Add the deployment ID there."
            ),
        ),
        Reason(
            "no_cookies",
            400,
            _("Your browser blocked the launch's cookie"),
            _(
                "Attune could not match this launch to the sign-in that started it, usually "
                "because the browser blocks cookies inside the platform's page. Open the "
                "activity in a new window from the platform."
            ),
        ),
        Reason(
            "platform_unreachable",
            400,
            _("Attune could not read the platform's keys"),
            _(
                "The platform's keyset URL did not answer with a key set. Check the keyset "
                "URL in Attune's connection."
            ),
        ),
        Reason(
            "invalid",
            400,
            _("The launch is not a valid LTI 1.3 message"),
            _(
                "The platform sent a launch Attune cannot read. Check that the tool is "
                "configured for LTI 1.3 with the URLs Attune's connection shows."
            ),
        ),
        Reason(
            "no_target",
            400,
            _("This link does not lead to anything in Attune"),
            _(
                "The link's custom parameter or target URL does not name a training, lesson "
                "or module this organization may use. Choose the content again with the "
                "platform's content picker, or ask the organization's administrator."
            ),
        ),
        Reason(
            "unsupported",
            400,
            _("Attune does not handle this kind of launch"),
            _("The platform asked for a kind of launch Attune does not offer here."),
        ),
        Reason(
            "cannot_enroll",
            403,
            _("You cannot be enrolled in this training"),
            _("The training is not open for enrollment at the moment."),
        ),
    )
}


class LaunchRefused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.reason = REASONS[code]
        self.detail = detail


def _audience_mismatch(claims: dict) -> bool:
    """The issuer is connected, but not with this client ID."""
    issuer = claims.get("iss")
    return bool(issuer) and LtiRegistration.objects.filter(issuer=issuer).exists()


def refusal_for(exc: Exception, *, claims: dict | None = None) -> LaunchRefused:
    """The reason for pylti1p3's exception ``exc`` (``claims``: the token's unverified body)."""
    message = str(exc)
    cause = exc.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError | jwt.ImmatureSignatureError):
        code = "expired"
    elif message.startswith("Can't decode id_token") or message == "Unable to find public key":
        code = "bad_signature"
    elif message in ("Missing state param", "State not found") or "cookie" in message:
        code = "no_cookies"
    elif message in ('"nonce" is empty', "Invalid Nonce"):
        code = "nonce_reused"
    elif message == "Could not find registration details":
        code = "unknown_platform"
    elif message in ("Registration not found.", "Client id not registered for this issuer"):
        code = "wrong_audience" if _audience_mismatch(claims or {}) else "unknown_platform"
    elif message == "Unable to find deployment":
        code = "unknown_deployment"
    elif message.startswith(("Error during fetch URL", "Invalid response from")):
        code = "platform_unreachable"
    else:
        code = "invalid"
    return LaunchRefused(code, detail=message)

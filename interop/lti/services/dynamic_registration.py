"""LTI Dynamic Registration (IMS LTI DR 1.0): the platform opens Attune's one-time link with
``openid_configuration`` (and a ``registration_token``); Attune reads the platform's
configuration, registers itself at the platform's registration endpoint, and keeps the
client ID and deployment the platform answers with as a connection of the organization."""

from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DynamicRegistration, PlatformConnection
from .connections import connect_platform

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = " ".join(
    [
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    ]
)
TIMEOUT = 10


class RegistrationFailed(Exception):
    """The platform's configuration or answer was unusable; the message says why."""


def make_link(*, organization, by) -> DynamicRegistration:
    hours = settings.ATTUNE_LTI_REGISTRATION_LINK_HOURS
    return DynamicRegistration.objects.create(
        organization=organization,
        created_by=by,
        expires_at=timezone.now() + timedelta(hours=hours),
    )


def _json(response) -> dict:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400 or not isinstance(data, dict):
        raise RegistrationFailed(
            _("The platform answered %(status)s.") % {"status": response.status_code}
        )
    return data


def _platform_configuration(url: str) -> dict:
    try:
        config = _json(requests.get(url, timeout=TIMEOUT))
    except requests.RequestException as exc:
        raise RegistrationFailed(_("Attune could not read the platform's configuration.")) from exc
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if any(not config.get(key) for key in (*required, "registration_endpoint")):
        raise RegistrationFailed(_("The platform's configuration lacks required endpoints."))
    # The issuer must be the configuration URL's own origin (DR 1.0, 3.5.1): a configuration
    # cannot speak for another platform.
    issuer, where = urlsplit(config["issuer"]), urlsplit(url)
    if (issuer.scheme, issuer.netloc) != (where.scheme, where.netloc):
        raise RegistrationFailed(_("The platform's issuer does not match its configuration URL."))
    return config


def tool_configuration(*, urls: dict[str, str], client_name: str) -> dict:
    domain = urlsplit(urls["launch"]).netloc
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls["login"],
        "redirect_uris": [urls["launch"]],
        "client_name": client_name,
        "jwks_uri": urls["jwks"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": SCOPES,
        TOOL_CONFIGURATION: {
            "domain": domain,
            "target_link_uri": urls["launch"],
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": urls["launch"]},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": urls["deep_linking"]},
            ],
        },
    }


def register(
    *, link: DynamicRegistration, openid_configuration: str, registration_token: str, urls
) -> PlatformConnection:
    """Register Attune with the platform and connect it. The link is used up on success."""
    if not link.is_usable:
        raise RegistrationFailed(_("This registration link was used already or has expired."))
    config = _platform_configuration(openid_configuration)
    headers = {"Content-Type": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    body = tool_configuration(urls=urls, client_name=f"Attune ({link.organization.display_name})")
    try:
        answer = _json(
            requests.post(
                config["registration_endpoint"], json=body, headers=headers, timeout=TIMEOUT
            )
        )
    except requests.RequestException as exc:
        raise RegistrationFailed(_("The platform's registration endpoint did not answer.")) from exc
    client_id = answer.get("client_id")
    deployment_id = (answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    if not client_id:
        raise RegistrationFailed(_("The platform did not give Attune a client ID."))
    product = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code", "")
    with transaction.atomic():
        link = DynamicRegistration.objects.select_for_update().get(pk=link.pk)
        if not link.is_usable:
            raise RegistrationFailed(_("This registration link was used already or has expired."))
        connection = connect_platform(
            organization=link.organization,
            name=product or config["issuer"],
            issuer=config["issuer"],
            client_id=client_id,
            auth_url=config["authorization_endpoint"],
            token_url=config["token_endpoint"],
            keyset_url=config["jwks_uri"],
            deployment_ids=[deployment_id] if deployment_id else [],
            by=link.created_by,
            require_deployment=False,
        )
        link.status = DynamicRegistration.Status.USED
        link.connection = connection
        link.save(update_fields=["status", "connection"])
    return connection

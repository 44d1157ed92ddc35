"""Attune as a SAML 2.0 service provider, one per association site, through pysaml2 (the
library djangosaml2 drives; its views assume one user-lookup attribute and one backend,
where Attune links by subject per connection, so the client is used directly with a config
built per association, as djangosaml2's SAML_CONFIG_LOADER would).

What pysaml2 checks with this config: the response or its assertion signed by the key in
the association's IdP metadata, the audience our SP entity id, the recipient our ACS,
InResponseTo one of the requests this browser started (unsolicited refused unless the
association turned it on), the time conditions within ``ATTUNE_SAML_CLOCK_SKEW``. What it
does not: replays, held by ``services.remember_assertion``.
"""

import base64
import logging
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import UnsolicitedResponse
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.sigver import SignatureError

from .models import IdentityProvider

logger = logging.getLogger(__name__)


class SamlRefused(Exception):
    """A response Attune does not accept; ``reason`` is one of ``REASONS``' keys."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Assertion:
    assertion_id: str
    subject: str
    not_on_or_after: int  # seconds since the epoch
    in_response_to: str
    attributes: dict = field(default_factory=dict)

    def first(self, name: str) -> str:
        values = self.attributes.get(name) or []
        return str(values[0]).strip() if values else ""


def site_root(provider: IdentityProvider) -> str:
    return provider.association.site.root_url.rstrip("/")


def entity_id(provider: IdentityProvider) -> str:
    return site_root(provider) + reverse("interop_sso:saml_metadata")


def acs_url(provider: IdentityProvider) -> str:
    return site_root(provider) + reverse("interop_sso:saml_acs")


def _pem_body(certificate: str) -> str:
    body = re.sub(r"-----(BEGIN|END) CERTIFICATE-----", "", certificate or "")
    return "".join(body.split())


def idp_metadata(provider: IdentityProvider) -> str:
    """The IdP's metadata as pasted, or made from its entity id, sign-in URL and certificate."""
    if provider.idp_metadata_xml.strip():
        return provider.idp_metadata_xml.strip()
    return (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
        f'entityID="{escape(provider.idp_entity_id, {chr(34): "&quot;"})}">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
        f"{escape(_pem_body(provider.idp_certificate))}"
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        f'<md:SingleSignOnService Binding="{BINDING_HTTP_REDIRECT}" '
        f'Location="{escape(provider.idp_sso_url, {chr(34): "&quot;"})}"/>'
        "</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


def sp_config(provider: IdentityProvider, *, with_idp: bool = True) -> SPConfig:
    config = SPConfig()
    settings_dict = {
        "entityid": entity_id(provider),
        "xmlsec_binary": settings.ATTUNE_SAML_XMLSEC_BINARY,
        "accepted_time_diff": settings.ATTUNE_SAML_CLOCK_SKEW,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": provider.association.display_name,
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(provider), BINDING_HTTP_POST)]
                },
                "allow_unsolicited": provider.allow_idp_initiated,
                "authn_requests_signed": False,
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }
        },
    }
    if with_idp:
        settings_dict["metadata"] = {"inline": [idp_metadata(provider)]}
    config.load(settings_dict)
    return config


def sp_metadata(provider: IdentityProvider) -> str:
    """Attune's SP metadata for this association, to give the membership system."""
    return create_metadata_string(
        None, config=sp_config(provider, with_idp=False), valid=None
    ).decode("utf-8")


def _client(provider: IdentityProvider) -> Saml2Client:
    try:
        return Saml2Client(config=sp_config(provider))
    except Exception as exc:  # pysaml2 raises bare exceptions on bad metadata
        logger.warning("SAML config of %s unusable: %s", provider.pk, exc)
        raise SamlRefused("configuration") from exc


def authn_request(provider: IdentityProvider, *, relay_state: str) -> tuple[str, str]:
    """The AuthnRequest (HTTP-Redirect binding): its id, to remember, and the IdP URL."""
    client = _client(provider)
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise SamlRefused("configuration")
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=idps[0], relay_state=relay_state, binding=BINDING_HTTP_REDIRECT
        )
    except Exception as exc:
        logger.warning("SAML request for %s failed: %s", provider.pk, exc)
        raise SamlRefused("configuration") from exc
    location = dict(info["headers"])["Location"]
    return request_id, location


def parse_response(provider: IdentityProvider, *, saml_response: str, outstanding: dict):
    """Check a posted SAMLResponse; an ``Assertion`` or ``SamlRefused``."""
    client = _client(provider)
    try:
        base64.b64decode(saml_response, validate=True)
    except (ValueError, TypeError) as exc:
        raise SamlRefused("malformed") from exc
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except UnsolicitedResponse as exc:
        raise SamlRefused("unsolicited") from exc
    except SignatureError as exc:
        raise SamlRefused("signature") from exc
    except Exception as exc:  # pysaml2 raises bare Exceptions for audience, time, status
        text = str(exc)
        logger.info("SAML response refused for %s: %s", provider.pk, text)
        if "Audience" in text:
            raise SamlRefused("audience") from exc
        if "ignature" in text or "signed" in text.lower():
            raise SamlRefused("signature") from exc
        raise SamlRefused("invalid") from exc
    if response is None or response.assertion is None:
        raise SamlRefused("invalid")
    assertion = response.assertion
    # pysaml2 checks a signature it finds; one of the two must be there.
    if not (response.response.signature or assertion.signature):
        raise SamlRefused("signature")
    name_id = response.name_id
    attributes = response.ava or {}
    subject_name = provider.subject_attribute.strip()
    if subject_name:
        subject = str((attributes.get(subject_name) or [""])[0]).strip()
    else:
        persistent = name_id is not None and name_id.format in (None, NAMEID_FORMAT_PERSISTENT)
        subject = (name_id.text or "").strip() if persistent else ""
    if not subject or not assertion.id:
        raise SamlRefused("subject")
    info = response.session_info()
    return Assertion(
        assertion_id=assertion.id,
        subject=subject[:255],
        not_on_or_after=int(info.get("not_on_or_after") or 0),
        in_response_to=response.in_response_to or "",
        attributes=attributes,
    )

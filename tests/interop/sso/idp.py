"""A membership system's identity provider for the tests: pysaml2's own IdP (saml2.server),
with a signing key and certificate made here, that knows the SPs it is given."""

import base64
import datetime
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import AUTHN_PASSWORD, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

IDP_ENTITY_ID = "https://ams.example.org/idp"
IDP_SSO_URL = "https://ams.example.org/sso"


def key_and_certificate(common_name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


class TestIdP:
    """``sp_metadata``: the XML of each SP this IdP serves (Attune's, fetched by the test)."""

    __test__ = False

    def __init__(self, *, sp_metadata: list[str], sso_url: str = IDP_SSO_URL):
        self.dir = Path(tempfile.mkdtemp(prefix="attune-idp-"))
        key, cert = key_and_certificate("Test AMS")
        (self.dir / "idp.key").write_bytes(key)
        (self.dir / "idp.crt").write_bytes(cert)
        self.certificate = cert.decode()
        config = IdPConfig()
        config.load(
            {
                "entityid": IDP_ENTITY_ID,
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "key_file": str(self.dir / "idp.key"),
                "cert_file": str(self.dir / "idp.crt"),
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(sso_url, BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}}},
                    }
                },
                "metadata": {"inline": sp_metadata},
            }
        )
        self.config = config
        self.server = Server(config=config)

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config, valid=None).decode()

    def read_request(self, location: str):
        """The AuthnRequest in an HTTP-Redirect URL: (its id, the RelayState)."""
        query = parse_qs(urlsplit(location).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        return request.message.id, (query.get("RelayState") or [""])[0]

    def response(
        self,
        *,
        in_response_to: str | None,
        destination: str,
        audience: str,
        subject: str = "ams-1001",
        attributes: dict | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
    ) -> str:
        """A SAMLResponse as the browser posts it (base64 of the XML)."""
        xml = self.response_xml(
            in_response_to=in_response_to,
            destination=destination,
            audience=audience,
            subject=subject,
            attributes=attributes,
            sign_assertion=sign_assertion,
            sign_response=sign_response,
        )
        return base64.b64encode(xml.encode()).decode()

    def response_xml(
        self,
        *,
        in_response_to,
        destination,
        audience,
        subject,
        attributes,
        sign_assertion,
        sign_response,
    ) -> str:
        identity = {
            "email": ["lee@example.org"],
            "given_name": ["Lee"],
            "family_name": ["Ortiz"],
            "membership_status": ["active"],
            "membership_expires": ["2099-06-30"],
        }
        identity.update(attributes or {})
        response = self.server.create_authn_response(
            identity=identity,
            in_response_to=in_response_to,
            destination=destination,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={"class_ref": AUTHN_PASSWORD, "authn_auth": IDP_ENTITY_ID},
            sign_assertion=sign_assertion,
            sign_response=sign_response,
            userid=subject,
        )
        return str(response)


def post_binding_form(saml_response: str, relay_state: str, acs_url: str) -> str:
    """The auto-posting page an IdP returns to the browser (HTTP-POST binding)."""
    return (
        "<!doctype html><html lang='en'><head><title>AMS</title></head><body>"
        f"<form method='post' action='{acs_url}' id='saml'>"
        f"<input type='hidden' name='SAMLResponse' value='{saml_response}'>"
        f"<input type='hidden' name='RelayState' value='{relay_state}'>"
        "<button type='submit'>Continue</button></form>"
        "<script>document.getElementById('saml').submit()</script></body></html>"
    )


__all__ = ["BINDING_HTTP_POST", "TestIdP", "post_binding_form"]

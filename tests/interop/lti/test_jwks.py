"""Attune's keys, published as a JWKS: what platforms check Attune's signatures with."""

import jwt
import pytest
from jwcrypto.jwk import JWK
from lti_tool.models import Key

from interop.lti.services.keys import tool_key

pytestmark = pytest.mark.django_db


def test_the_jwks_publishes_the_active_public_key_only(client):
    key = tool_key()
    Key.objects.generate()  # a second active key (during a rotation): both are published
    old = Key.objects.generate()
    old.is_active = False
    old.save()
    answer = client.get("/lti/jwks.json")
    assert answer.status_code == 200
    assert "max-age" in answer["Cache-Control"]
    keys = answer.json()["keys"]
    assert {k["kid"] for k in keys} == {k.as_jwk()["kid"] for k in Key.objects.active()}
    assert key.as_jwk()["kid"] in {k["kid"] for k in keys}
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and k["use"] == "sig" for k in keys)
    assert all("d" not in k and "p" not in k for k in keys)  # no private parts


def test_what_attune_signs_checks_out_against_the_published_keys(client):
    key = tool_key()
    token = jwt.encode(
        {"iss": "attune"}, key.private_key, algorithm="RS256", headers={"kid": key.as_jwk()["kid"]}
    )
    published = {k["kid"]: k for k in client.get("/lti/jwks.json").json()["keys"]}
    header = jwt.get_unverified_header(token)
    public = JWK(**published[header["kid"]]).export_to_pem()
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"iss": "attune"}


def test_a_platform_gets_an_access_token_with_attunes_signed_assertion(
    lti_platform, lti_connection, lti_client, trust_attune_keys
):
    """The platform's token endpoint (lti1p3platform) checks the client assertion Attune
    signs (pylti1p3's service connector) against Attune's published JWKS."""
    from pylti1p3.service_connector import ServiceConnector

    trust_attune_keys(lti_client)
    registration = lti_connection.registration.to_registration()
    connector = ServiceConnector(registration)
    token = connector.get_access_token(["https://purl.imsglobal.org/spec/lti-ags/scope/score"])
    assert token
    assert lti_platform.tokens_issued[-1]["access_token"] == token

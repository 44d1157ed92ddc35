"""allauth's OpenID Connect client, made strict for Attune's sites.

allauth checks the state (bound to the browser's session, used once) and PKCE. On top of it:
the authorization request carries a nonce kept in that state, and the ID token from the
platform must carry it back; the ID token's signature is always checked against the
platform's published keys (allauth skips that when the token came straight from the token
endpoint, which OpenID Connect allows over TLS; the sites may reach the platform over plain
HTTP inside a deployment, and a check costs little).
"""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.urls import reverse
from django.utils.crypto import get_random_string


class AttuneOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )

    def get_callback_url(self, request, app):
        path = app.settings.get("callback_path") or reverse("attune_sso_callback")
        return build_absolute_uri(request, path, self.redirect_uri_protocol)


class AttuneOIDCProvider(OpenIDConnectProvider):
    oauth2_adapter_class = AttuneOAuth2Adapter
    package = "allauth.socialaccount.providers.openid_connect"  # its URLs and templates

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def get_callback_url(self):
        return self.app.settings.get("callback_path") or reverse("attune_sso_callback")

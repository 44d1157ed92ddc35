"""A real LTI 1.3 platform for the tests: ``lti1p3platform`` served by uvicorn on loopback.

The platform keeps its own RSA key and serves its JWKS; it answers the OIDC authorization
request with a launch it signs (lti1p3platform's MessageLaunch and Registration), issues
OAuth2 access tokens for a client-credentials grant whose JWT assertion it checks against
Attune's published keys (``LTI1P3PlatformConfAbstract.get_access_token``), serves
Assignment and Grade Services line items and scores and a Names and Role Provisioning
roster (lti1p3platform's service classes, which check the bearer token and its scopes), and
accepts deep-linking responses (``validate_deeplinking_resp``).

Attune is driven either by Django's test client (``launch``) or by a real browser, which
follows the same redirects through the platform's ``/start`` page (``start_url``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import typing as t
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import requests
import uvicorn
from fastapi import FastAPI
from fastapi import Request as FastapiRequest
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jwcrypto.jwk import JWK
from lti1p3platform.framework.fastapi.message_launch import FastapiMessageLaunch
from lti1p3platform.framework.fastapi.oidc_login import FastAPIOIDCLogin
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as PlatformRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def _rsa_pair() -> tuple[str, str]:
    key = JWK.generate(kty="RSA", size=2048)
    return (
        key.export_to_pem(private_key=True, password=None).decode(),
        key.export_to_pem().decode(),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LaunchSpec:
    """One launch the platform will sign when the tool asks for it (by message hint)."""

    user_id: str
    roles: list[str]
    resource_link_id: str = "link-1"
    resource_link_title: str = "Attune training"
    context_id: str = "course-1"
    context_title: str = "Infant mental health 101"
    name: str = "Pat Learner"
    email: str | None = None
    email_verified: bool | None = None
    custom: dict[str, str] = field(default_factory=dict)
    target_link_uri: str | None = None
    deployment_id: str | None = None
    ags: bool = True
    nrps: bool = True
    deep_linking: bool = False
    document_target: str | None = None
    # Tampering for the refusal tests: another audience, an expired token, a wrong key.
    audience: str | None = None
    expires_in: int = 300
    rogue_signature: bool = False


class _Request(PlatformRequest):
    """lti1p3platform's request wrapper, filled from the FastAPI request read beforehand."""

    def build_metadata(self, request: dict) -> dict:
        return request


async def _wrap(request: FastapiRequest) -> _Request:
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    form, data = {}, None
    if "json" in content_type and body:
        data = json.loads(body)
    elif body:
        form = dict(parse_qsl(body.decode()))
    return _Request(
        {
            "method": request.method,
            "form_data": form,
            "get_data": dict(request.query_params),
            # Starlette's headers: case-insensitive (lti1p3platform asks for "Authorization").
            "headers": request.headers,
            "content_type": content_type,
            "path": request.url.path,
            "json": data,
        }
    )


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action", "")
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


def parse_form(html: str) -> tuple[str, dict[str, str]]:
    parser = _FormParser()
    parser.feed(html)
    return parser.action, parser.fields


class TestPlatform:
    """An LTI 1.3 platform (issuer ``url``) with one registration of Attune as a tool."""

    __test__ = False

    def __init__(self, *, tool_url: str = "http://testserver", client_id: str | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = self.url
        self.client_id = client_id or f"attune-{uuid.uuid4().hex[:8]}"
        self.deployment_id = "deployment-1"
        self.private_key, self.public_key = _rsa_pair()
        self.rogue_private_key, _ = _rsa_pair()
        self.tool_url = tool_url.rstrip("/")
        self.tool_jwks: dict | None = None
        self.pending: dict[str, LaunchSpec] = {}
        # What the tool sent: scores per line item, line items, deep-linked items.
        self.lineitems: dict[str, dict] = {}
        self.scores: list[dict] = []
        self.deep_linked: list[list[dict]] = []
        self.tokens_issued: list[dict] = []
        self.members: list[dict] = []
        self.registration_token = uuid.uuid4().hex
        self.tool_registrations: list[dict] = []
        self.app = self._build_app()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- URLs the admin enters in Attune ------------------------------------------------

    @property
    def auth_url(self) -> str:
        return f"{self.url}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def keyset_url(self) -> str:
        return f"{self.url}/jwks"

    @property
    def openid_configuration_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def lineitems_url(self, context_id: str) -> str:
        return f"{self.url}/contexts/{context_id}/lineitems"

    def memberships_url(self, context_id: str) -> str:
        return f"{self.url}/contexts/{context_id}/memberships"

    # -- lti1p3platform objects ---------------------------------------------------------

    def registration(self, *, deployment_id: str | None = None) -> Registration:
        reg = Registration()
        reg.set_iss(self.issuer)
        reg.set_client_id(self.client_id)
        reg.set_deployment_id(deployment_id or self.deployment_id)
        reg.set_oidc_login_url(f"{self.tool_url}/lti/login/")
        reg.set_launch_url(f"{self.tool_url}/lti/launch/")
        reg.set_deeplink_launch_url(f"{self.tool_url}/lti/launch/")
        reg.set_platform_private_key(self.private_key)
        reg.set_platform_public_key(self.public_key)
        reg.set_tool_key_set_url(f"{self.tool_url}/lti/jwks.json")
        if self.tool_jwks is not None:
            reg.set_tool_key_set(self.tool_jwks)
        return reg

    def config(self, *, deployment_id: str | None = None) -> LTI1P3PlatformConfAbstract:
        platform = self

        class Config(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs):
                pass

            def get_registration_by_params(self, **kwargs):
                return platform.registration(deployment_id=deployment_id)

        config = Config()
        config.get_registration()
        return config

    # -- the HTTP application -----------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI()
        platform = self

        @app.get("/jwks")
        def jwks():
            return JSONResponse(platform.config().get_jwks())

        @app.get("/start")
        def start(hint: str):
            """What a browser follows: the platform's OIDC third-party login initiation."""
            return RedirectResponse(platform.login_initiation_url(hint))

        @app.get("/authorize")
        async def authorize(request: FastapiRequest):
            spec = platform.pending.get(request.query_params.get("lti_message_hint", ""))
            if spec is None:
                return Response("Unknown launch", status_code=400)
            launch = platform.message_launch(request, spec)
            return launch.lti_launch()

        @app.post("/token")
        async def token(request: FastapiRequest):
            wrapped = await _wrap(request)
            try:
                answer = platform.config().get_access_token(wrapped.form_data)
            except Exception as exc:
                return JSONResponse({"error": "invalid_client", "detail": str(exc)}, 400)
            platform.tokens_issued.append(answer)
            return JSONResponse(answer)

        def ags(wrapped, context_id, lineitem_id=None):
            return _Ags(
                platform,
                wrapped,
                platform.config(),
                platform.lineitems_url(context_id),
                f"{platform.lineitems_url(context_id)}/{lineitem_id}" if lineitem_id else None,
            )

        def reply(resp):
            return Response(
                json.dumps(resp.result) if resp.result is not None else "",
                status_code=resp.code,
                media_type=resp.media_type,
            )

        @app.get("/contexts/{context_id}/lineitems")
        async def lineitems(context_id: str, request: FastapiRequest):
            service = ags(await _wrap(request), context_id)
            return reply(service.handle_resp(service.handle_get_lineitems))

        @app.post("/contexts/{context_id}/lineitems")
        async def create_lineitem(context_id: str, request: FastapiRequest):
            service = ags(await _wrap(request), context_id)
            return reply(service.handle_resp(service.handle_create_lineitem))

        @app.get("/contexts/{context_id}/lineitems/{lineitem_id}")
        async def lineitem(context_id: str, lineitem_id: str, request: FastapiRequest):
            service = ags(await _wrap(request), context_id, lineitem_id)
            return reply(service.handle_resp(service.handle_get_lineitem, line_item_id=lineitem_id))

        @app.post("/contexts/{context_id}/lineitems/{lineitem_id}/scores")
        async def scores(context_id: str, lineitem_id: str, request: FastapiRequest):
            service = ags(await _wrap(request), context_id, lineitem_id)
            return reply(service.handle_resp(service.handle_update_score, line_item_id=lineitem_id))

        @app.get("/contexts/{context_id}/memberships")
        async def memberships(context_id: str, request: FastapiRequest):
            service = _Nrps(
                platform,
                context_id,
                await _wrap(request),
                platform.config(),
                platform.memberships_url(context_id),
            )
            return reply(service.handle_resp(service.handle_get_members))

        @app.get("/.well-known/openid-configuration")
        def openid_configuration():
            """LTI Dynamic Registration: the platform's configuration (lti1p3platform has
            no registration support; these two routes follow the DR 1.0 spec's examples)."""
            return JSONResponse(
                {
                    "issuer": platform.issuer,
                    "authorization_endpoint": platform.auth_url,
                    "token_endpoint": platform.token_url,
                    "jwks_uri": platform.keyset_url,
                    "registration_endpoint": f"{platform.url}/register",
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "lti1p3platform",
                        "version": "0.1.8",
                    },
                }
            )

        @app.post("/register")
        async def register(request: FastapiRequest):
            if request.headers.get("authorization") != f"Bearer {platform.registration_token}":
                return JSONResponse({"error": "invalid_token"}, 401)
            platform.tool_registrations.append(json.loads(await request.body()))
            return JSONResponse(
                {
                    "client_id": platform.client_id,
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                        "deployment_id": platform.deployment_id
                    },
                }
            )

        @app.post("/deep_link_return")
        async def deep_link_return(request: FastapiRequest):
            wrapped = await _wrap(request)
            try:
                items = platform.config().validate_deeplinking_resp(wrapped.form_data)
            except Exception as exc:
                return HTMLResponse(f"Refused: {exc}", status_code=400)
            platform.deep_linked.append(items)
            return HTMLResponse("<p>Items added to the course.</p>")

        return app

    def message_launch(self, request: FastapiRequest, spec: LaunchSpec):
        platform = self

        class Launch(FastapiMessageLaunch, LTIAdvantageMessageLaunchAbstract):
            def prepare_launch(self, preflight_response):
                self.set_id_token_expiration(spec.expires_in)
                self.set_user_data(spec.user_id, spec.roles, spec.name, spec.email)
                self.set_resource_link_claim(spec.resource_link_id, title=spec.resource_link_title)
                self.set_launch_context_claim(
                    spec.context_id,
                    context_types=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
                    context_title=spec.context_title,
                )
                if spec.custom:
                    self.set_custom_parameters_claim(spec.custom)
                if spec.document_target:
                    self.set_launch_presentation_claim(document_target=spec.document_target)
                if spec.target_link_uri:
                    self.set_launch_url(spec.target_link_uri)
                if spec.ags and not spec.deep_linking:
                    lineitem_id = f"rl-{spec.resource_link_id}"
                    platform.lineitems.setdefault(
                        lineitem_id,
                        {
                            "id": f"{platform.lineitems_url(spec.context_id)}/{lineitem_id}",
                            "scoreMaximum": 100,
                            "label": spec.resource_link_title,
                            "resourceLinkId": spec.resource_link_id,
                        },
                    )
                    self.set_ags(
                        platform.lineitems_url(spec.context_id),
                        f"{platform.lineitems_url(spec.context_id)}/{lineitem_id}",
                    )
                if spec.nrps:
                    self.set_nrps(platform.memberships_url(spec.context_id))
                if spec.deep_linking:
                    self.set_dl(f"{platform.url}/deep_link_return", title="Attune")
                extra = {}
                if spec.email_verified is not None:
                    extra["email_verified"] = spec.email_verified
                if spec.audience:
                    extra["aud"] = spec.audience
                if extra:
                    self.set_extra_claims(extra)

            def generate_launch_request(self):
                if not spec.rogue_signature:
                    return super().generate_launch_request()
                # Signed by a key the platform never published, under its published key id.
                message, state = self.get_launch_data()
                token = Registration.encode_and_sign(
                    message,
                    platform.rogue_private_key,
                    headers={"kid": self._registration.get_kid()},
                    expiration=spec.expires_in,
                )
                return {"state": state, "id_token": token}

        return Launch(request, self.config(deployment_id=spec.deployment_id))

    def login_initiation_url(self, hint: str) -> str:
        spec = self.pending[hint]

        class Login(FastAPIOIDCLogin):
            def set_lti_message_hint(self, **kwargs):
                self._lti_message_hint = kwargs["hint"]

        login = Login(None, self.config(deployment_id=spec.deployment_id))
        login.set_lti_message_hint(hint=hint)
        if spec.target_link_uri:
            login.set_launch_url(spec.target_link_uri)
        elif spec.deep_linking:
            login.set_deeplinking_launch_url()
        return login.prepare_preflight_url(spec.user_id)

    # -- driving launches ---------------------------------------------------------------

    def prepare(self, **spec) -> str:
        """Registers a launch; returns its message hint (the browser starts at start_url)."""
        spec.setdefault("roles", [LEARNER])
        hint = uuid.uuid4().hex
        self.pending[hint] = LaunchSpec(**spec)
        return hint

    def start_url(self, hint: str) -> str:
        return f"{self.url}/start?hint={hint}"

    def authorize(self, location: str) -> tuple[str, dict[str, str]]:
        """The browser at the platform's authorization URL: the auto-submitted launch form."""
        answer = requests.get(location, timeout=10)
        answer.raise_for_status()
        return parse_form(answer.text)

    def launch(self, client, **spec):
        """One launch through Django's test client: login initiation, the platform's
        authorization, the form post of the signed id_token. Returns Attune's answer to
        the post (and keeps the form on ``last_form`` for replays)."""
        hint = self.prepare(**spec)
        initiation = urlsplit(self.login_initiation_url(hint))
        query = dict(parse_qsl(initiation.query))
        # A browser's script confirms cookies work, then asks again with this flag.
        answer = client.get(initiation.path, {**query, "lti1p3_new_window": "1"})
        if answer.status_code != 302:
            return answer
        action, fields = self.authorize(answer["Location"])
        self.last_form = (urlsplit(action).path, fields)
        return client.post(urlsplit(action).path, fields)

    def replay(self, client):
        path, fields = self.last_form
        return client.post(path, fields)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> TestPlatform:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("The test platform did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)


class _Ags(AssignmentsGradesService):
    def __init__(self, platform: TestPlatform, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform

    def find_lineitems(self, page=1, limit=None, line_item_id=None, resource_link_id=None, **kw):
        items = list(self.platform.lineitems.values())
        if resource_link_id:
            items = [item for item in items if item.get("resourceLinkId") == resource_link_id]
        return {"content": items, "has_next": False, "next": None}

    def find_lineitem(self, line_item_id):
        from lti1p3platform.exceptions import LineItemNotFoundException

        if line_item_id not in self.platform.lineitems:
            raise LineItemNotFoundException
        return self.platform.lineitems[line_item_id]

    def create_lineitem(self, creation_data):
        lineitem_id = f"li-{len(self.platform.lineitems) + 1}"
        item = {**creation_data, "id": f"{self.ags.lineitems_url}/{lineitem_id}"}
        self.platform.lineitems[lineitem_id] = item
        return item

    def update_lineitem(self, update_data):
        self.platform.lineitems[update_data["id"]].update(update_data)
        return self.platform.lineitems[update_data["id"]]

    def delete_lineitem(self, line_item_id):
        self.platform.lineitems.pop(line_item_id, None)

    def update_score(self, line_item_id, score):
        self.find_lineitem(line_item_id)
        self.platform.scores.append({**score, "lineitem": line_item_id})
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id, page=1, limit=None, user_id=None):
        results = [s for s in self.platform.scores if s["lineitem"] == line_item_id]
        return {"content": results, "has_next": False, "next": None}


class _Nrps(NamesRoleProvisioningService):
    def __init__(self, platform: TestPlatform, context_id: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        self.context_id = context_id

    def get_member_data_page(self, page=1, limit=None, role=None, since=None, **kw):
        return {"content": [dict(m) for m in self.platform.members], "has_next": False}

    def get_context_by_id(self):
        return Context(id=self.context_id, label=self.context_id, title=self.context_id)

    def is_resource_link_valid(self, context_id, resource_link_id):
        return True


def tool_jwks_from(client, path: str = "/lti/jwks.json") -> dict[str, t.Any]:
    """Attune's published JWKS, fetched the way a platform would (through the test client)."""
    return client.get(path).json()


__all__ = ["INSTRUCTOR", "LEARNER", "LaunchSpec", "TestPlatform", "parse_form", "tool_jwks_from"]

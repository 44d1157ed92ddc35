"""The grid's machinery: walk the URL configuration, fill each pattern's kwargs from a
tenant's objects, and request it as each role. What each role may see is not decided here
but in ``expected.py``."""

import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ROLES

ATTUNE_APPS = ("audit", "accounts", "organizations", "competencies", "records", "endorsement")
ATTUNE_APPS += ("integrations", "courses", "centers", "media_pipeline", "demo")
ATTUNE_APPS += ("commerce", "commerce_offers", "commerce_memberships", "commerce_invoicing")
ATTUNE_APPS += ("interop_lti", "interop_sso", "interop_registries")
ATTUNE_MODULES = (
    "lms.",
    "courses.",
    "centers.",
    "commerce.",
    "interop.",
    "media_pipeline.",
    "demo.",
)
SNIPPET_NAME = re.compile(r"^wagtailsnippet(?:s|choosers)_(?P<app>[a-z_]+?)_(?P<model>[a-z]+):")
# Where the grid leaves its counts for the terminal summary (conftest.py).
GRID = pytest.StashKey[Counter]()
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str  # "namespace:name", or the route for unnamed patterns
    module: str
    keys: tuple[str, ...]  # the kwargs the pattern takes
    defaults: tuple  # the pattern's default args, e.g. {"fmt": "csv"}


def endpoints() -> list[Endpoint]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    found = []

    def walk(resolver, prefix, namespaces):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                walk(pattern, route, ns)
                continue
            assert isinstance(pattern, URLPattern)
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            if hasattr(callback, "view_class"):
                module = callback.view_class.__module__
            name = ":".join((*namespaces, pattern.name)) if pattern.name else route
            keys = tuple(pattern.pattern.regex.groupindex)
            found.append(
                Endpoint(route, name, module, keys, tuple(sorted(pattern.default_args.items())))
            )

    walk(get_resolver(), "", ())
    return found


def is_attune(endpoint: Endpoint) -> bool:
    """Attune's own views: its apps' views, and Wagtail's generic views for its models
    (snippet viewsets and choosers registered by its wagtail_hooks)."""
    match = SNIPPET_NAME.match(endpoint.name)
    if match:
        return match["app"] in ATTUNE_APPS
    return endpoint.module.startswith(ATTUNE_MODULES) or endpoint.name.startswith("attune_api_v1:")


def fill(route: str, values: dict) -> str:
    """The route with its converters replaced by ``values``."""

    def one(match):
        return str(values[match["name"]])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", one, route)


@dataclass
class Outcome:
    status: int
    body: bytes
    location: str
    writes: list


class Requester:
    """One logged-in test client per role; answers what a request did, writes included."""

    def __init__(self, users: dict):
        self.clients = {}
        self.count = 0
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if users[role] is not None:
                client.force_login(users[role])
            self.clients[role] = client

    def __call__(self, role: str, method: str, url: str, **extra) -> Outcome:
        client = self.clients[role]
        if url.startswith("http"):  # a page of an association's own site
            host, url = re.match(r"https?://([^/]+)(/.*)", url).groups()
            extra["HTTP_HOST"] = host
        self.count += 1

        connection.queries_log.clear()  # a full log would capture nothing
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(url, **extra)
            else:
                response = client.post(url, {}, **extra)

        body = b"".join(response.streaming_content) if response.streaming else response.content
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
        ]
        return Outcome(response.status_code, body, response.get("Location", ""), writes)


def leaked(outcome: Outcome) -> bool:
    """A 200, or any other 2xx that carries content, given to someone who may not have it."""
    return outcome.status == 200 or (200 <= outcome.status < 300 and bool(outcome.body))


def sent_to_sign_in(outcome: Outcome) -> bool:
    """Refused before the view, by a sign-in check that does not look at the method (Django's
    login_required, Wagtail's admin access): a POST would be refused the same way."""
    return outcome.status == 302 and "login" in outcome.location


def refused(outcome: Outcome) -> bool:
    """What an unauthorized request may get: a refusal, a redirect to sign in (or to the
    admin's dashboard, Wagtail's way of refusing), a method not allowed, or a link gone."""
    return outcome.status in (302, 400, 401, 403, 404, 405, 409, 410)


def summary(stats: Counter) -> str:
    return (
        f"Permission grid: {len(ROLES)} roles × {stats['endpoints']} endpoints × objects of "
        f"2 tenants = {stats['cells']} cells ({stats['requests']} requests); "
        f"{stats['leaks']} leaks; {stats['granted']} pages granted as declared."
    )


# Which of a tenant's objects an ambiguous kwarg names, by URL name (prefix match).
NAMED = {
    "pk": {
        "endorsement:application": "pk:application",
        "endorsement:remove_tick": "pk:tick",
        "endorsement:tick_evidence": "pk:tick",
        "endorsement:registry_listing": "pk:endorsement",
        "endorsement:credential": "pk:endorsement",
        "applications_admin:revoke_endorsement": "pk:endorsement",
        "applications_admin:": "pk:application",
        "centers:staff": "pk:staff",
        "centers:seat_release": "pk:seat",
        "centers:roster_preview": "pk:roster_import",
        "wagtailsettings:": "site_pk",
        "accounts_admin:": "pk:erasure",
    },
    "slug": {
        "centers:institute_library": "slug:institute",
        "centers:": "slug:center",
        "learning:quiz": "slug:quiz",
        "": "slug:association",
    },
    "token": {
        "records:rsc_cosign": "token:cosign",
        "endorsement:reference": "token:reference",
        "centers:join": "token:invitation",
        "media_pipeline:file": "token:playback",
    },
    "verification_id": {
        "records:rsc_resend": "verification_id:rsc",
        "endorsement:verify": "verification_id:endorsement",
        "records:credit_certificate": "verification_id:claimed_credit",
        "records:verify_credit": "verification_id:claimed_credit",
        "": "verification_id:record",
    },
    # An order: pending for the checkout's pages, paid for its receipt.
    "reference": {"commerce:receipt": "reference:paid", "": "reference"},
    "key": {
        "media_pipeline:sources": "key:recording",
        "media_pipeline:transcript": "key:recording",
        "": "key:upload",
    },
}
FIXED = {
    "number": 1,
    "kind": "completions",
    "app_name": "organizations",
    "model_name": "associationbranding",
    "revision_id_a": "earliest",
    "revision_id_b": "latest",
    "language": "en",  # the world's recordings are captioned in English
}


def _value(endpoint: Endpoint, key: str, tenant):
    if key in FIXED:
        return FIXED[key]
    match = SNIPPET_NAME.match(endpoint.name)
    if match and key == "pk":
        return tenant.objects[f"{match['app']}.{match['model']}"].pk
    for prefix, name in NAMED.get(key, {}).items():
        if endpoint.name.startswith(prefix):
            return tenant.kwargs[name]
    return tenant.kwargs[key]


def page_cells(world) -> list[tuple[str, str, str]]:
    """(name, tenant, URL) for the pages each association's site serves (``wagtail_serve``
    takes a path, not kwargs): named ``wagtail_serve:<kind>`` in the table."""
    return [
        (f"wagtail_serve:{kind}", name, page.full_url)
        for name, tenant in world.tenants.items()
        for kind, page in tenant.pages.items()
    ]


def kwargs_for(endpoint: Endpoint, world) -> list[tuple[str, str]]:
    """(tenant, URL) pairs: one per tenant when the URL names objects, else one."""
    keys = [k for k in endpoint.keys if k not in dict(endpoint.defaults)]
    if not keys:
        named = endpoint.name != endpoint.route
        return [("-", reverse(endpoint.name) if named else fill(endpoint.route, {}))]
    urls = {}
    for name, tenant in world.tenants.items():
        url = reverse(endpoint.name, kwargs={k: _value(endpoint, k, tenant) for k in keys})
        urls.setdefault(url, name)  # objects both tenants share (the framework) once
    return [(name, url) for url, name in urls.items()]

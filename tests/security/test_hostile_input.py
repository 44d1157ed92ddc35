"""Hostile input never reaches a 500: every URL of Attune, fed what an attacker or a broken client
sends.

Like the permission grid, the URL configuration is walked, not listed. For each of Attune's own
endpoints (the objects of tenant A in its path), hypothesis generates hostile path segments,
query strings, form bodies and JSON bodies (deep nesting, integers hundreds of digits long,
dates at the edge of the calendar with extreme offsets, digits that are not ASCII, ids too
large for the database, control characters), sent as an anonymous visitor and as a signed-in
learner (hostile paths as the learner, who gets furthest). Any 5xx fails, with the request that
caused it. Each request runs in a savepoint rolled back after it, so the world stays as built.
The real URLs get hypothesis' examples; the hostile paths a GET and a POST each (they go no
further than the lookup of the object they name).

The examples are derandomized (the same every run) and bounded so the suite stays quick;
``ATTUNE_FUZZ_EXAMPLES`` raises the count for a longer hunt.
"""

import json
import os
import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .grid import endpoints, fill, is_attune, kwargs_for

EXAMPLES = int(os.environ.get("ATTUNE_FUZZ_EXAMPLES", "3"))

HOSTILE_TEXT = [
    "9" * 400,  # an integer too long for int() to parse by default
    "9" * 25,  # an id too large for the database
    "-9223372036854775809",
    "1e309",  # a float that overflows
    "NaN",
    "-0",
    "١٢٣",  # Arabic-Indic digits: str.isdigit() says yes
    "０１２",  # full-width digits
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31",
    "0000-00-00",
    "2024-02-30",
    "\x00",
    "\r\n=cmd",
    "../../../etc/passwd",
    "%00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "😀" * 20,
    "a" * 5000,
    "[]",
    "{}",
    "true",
    "",
]
# Names views read from query strings and forms (with a few of nobody's).
PARAMETERS = [
    "p",
    "page",
    "q",
    "limit",
    "cursor",
    "updated_since",
    "format",
    "fmt",
    "next",
    "area",
    "category",
    "kind",
    "status",
    "organization",
    "association",
    "program",
    "training",
    "record",
    "pk",
    "id",
    "date",
    "from",
    "to",
    "starts_on",
    "ends_on",
    "completed_on",
    "duration_hours",
    "hours",
    "position",
    "seconds",
    "token",
    "action",
    "share",
    "email",
    "name",
    "staff",
    "seats",
    "delivery",
    "endpoint",
    "x",
]

text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))
params = st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=6)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(PARAMETERS), inner, max_size=5),
    ),
    max_leaves=12,
)
DEEP_JSON = "[" * 50_000 + "]" * 50_000
HUGE_NUMBER_JSON = '{"position": ' + "9" * 5000 + ', "seconds": 1e400}'
json_bodies = st.one_of(
    st.sampled_from([DEEP_JSON, HUGE_NUMBER_JSON, "{", "null", '"x"', "\xff\xfe"]),
    json_values.map(json.dumps),
)
HOSTILE_PATH_VALUE = {
    "int": ["0", "9" * 25, "9" * 400],
    "str": [quote(v, safe="") or "x" for v in ("\x00", "9" * 400, "../x", "😀", "' OR 1=1")],
}


def hostile_paths(endpoint) -> list[str]:
    """The endpoint's route filled with hostile values for each of its parameters."""
    keys = [k for k in endpoint.keys if k not in dict(endpoint.defaults)]
    if not keys:
        return []
    urls = []
    for kind, values in HOSTILE_PATH_VALUE.items():
        for value in values:
            filled = {}
            for key in keys:
                converter = re.search(rf"<(\w+):{key}>", endpoint.route)
                wants_int = converter is not None and converter.group(1) == "int"
                if wants_int and kind != "int":
                    break
                filled[key] = value
            else:
                urls.append(fill(endpoint.route, filled))
    return urls


class Prober:
    """Sends one request in a savepoint that is rolled back, and notes any 5xx."""

    def __init__(self, users):
        # An exception a view raises is caught here and reported as the 500 it would be.
        self.clients = {"anonymous": Client()}
        learner = Client()
        learner.force_login(users["learner"])
        self.clients["learner"] = learner
        self.problems: list[str] = []
        self.count = 0

    def send(self, role, method, url, **kwargs):
        self.count += 1
        with transaction.atomic():
            try:
                response = getattr(self.clients[role], method)(url, **kwargs)
                status = response.status_code
            except Exception as exc:
                status = f"{type(exc).__name__}: {exc}"[:200]
            transaction.set_rollback(True)
        if not isinstance(status, int) or status >= 500:
            body = kwargs.get("data")
            shown = repr(body)[:160] if body is not None else ""
            self.problems.append(f"{status} {method.upper()} {url[:160]} as {role} {shown}")


def targets(world) -> list[tuple[str | None, list[str]]]:
    """(a URL naming tenant A's real objects, or None; URLs with hostile path values)."""
    found = []
    for endpoint in endpoints():
        if not is_attune(endpoint):
            continue
        try:
            filled = kwargs_for(endpoint, world)
        except KeyError:  # a URL the grid cannot fill yet fails the grid, not this test
            filled = []
        real = next((url for tenant, url in filled if tenant in ("A", "-")), None)
        found.append((real, hostile_paths(endpoint)))
    return found


def fuzz(prober, role, url):
    """Hypothesis' hostile query strings, forms and JSON bodies for one URL and role."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=params, form=params, body=json_bodies)
    def probe(query, form, body):
        prober.send(role, "get", url, data=query)
        prober.send(role, "post", url, data=form)
        prober.send(role, "post", url, data=body, content_type="application/json")

    probe()


@pytest.mark.django_db
# Every URL × method × identity is one test's worth of requests: minutes on two busy cores.
@pytest.mark.timeout(1200)
def test_hostile_input_never_reaches_a_500(world, django_db_blocker):
    with django_db_blocker.unblock():
        prober = Prober(world.users)
        for real, hostile in targets(world):
            for role in ("anonymous", "learner"):
                if real is not None:
                    prober.send(role, "get", real)
                    fuzz(prober, role, real)
            # A hostile path goes no further than the lookup of what it names; the signed-in
            # learner gets past every login check to it (anonymous visitors stop earlier).
            for url in hostile:
                prober.send("learner", "get", url)
                prober.send("learner", "post", url, data={"x": "1"})
    assert not prober.problems, f"{len(prober.problems)} of {prober.count} requests:\n" + "\n".join(
        sorted(set(prober.problems))[:60]
    )

"""The permission grid: every role × every URL of Attune × the objects of two tenants.

The URL configuration is walked, not listed: a new view that is not declared in
``expected.EXPECTED`` (or, for Wagtail's and allauth's own views, ``expected.OUTSIDE``)
fails ``test_every_url_is_declared`` with its name. A 200 (or other 2xx with content) to a
role the table does not allow is a leak; an unauthorized POST must be refused and write
nothing. Authorized POSTs are never sent.
"""

from collections import Counter

import pytest

from .expected import EXPECTED, OUTSIDE, READS, allowed_roles, privileged_roles
from .grid import (
    GRID,
    Requester,
    endpoints,
    is_attune,
    kwargs_for,
    leaked,
    page_cells,
    refused,
    sent_to_sign_in,
)
from .world import MARKERS, ROLES


def declared(endpoint) -> bool:
    if endpoint.name in EXPECTED:
        return True
    return any(endpoint.name.startswith(prefix) for prefix in OUTSIDE)


def test_every_url_is_declared():
    missing = sorted({e.name for e in endpoints() if not declared(e)})
    assert not missing, (
        "Declare who may open these URLs in tests/security/expected.py: " + ", ".join(missing)
    )


def test_outside_declarations_name_no_attune_view():
    """Nothing of Attune's own hides under a Wagtail or allauth prefix."""
    hidden = sorted(
        e.name for e in endpoints() if e.name not in EXPECTED and is_attune(e) and declared(e)
    )
    assert not hidden, hidden


# Pages that the first allowed role must open: a grid that only ever saw 404s (a URL
# filled wrongly, a page not served on its site) would prove nothing.
OPEN_TO_THE_FIRST = {
    "records:detail",
    "records:credit_certificate",
    "records:verify_credit",
    "centers:dashboard",
    "learning:report",
    "endorsement:application",
}


# What a GET may write: the audit log (reads of shared data are recorded by design) and
# Wagtail's own bookkeeping (an editor's profile, who is editing a page, who follows its
# comments, an image's resized copy made the first time that size is shown). Our own rows
# are written only by POSTs, tasks and services: rendering a page reads. Two downloads are
# the exception, each named: a record's history notes every certificate and credential
# handed out, and an issuer's signing key and a credential's status entry are made the
# first time it signs.
WRITES_ALLOWED_ON_GET = (
    "audit_auditevent",
    "wagtailusers_userprofile",
    "wagtailadmin_editingsession",
    "wagtailcore_pagesubscription",
    "wagtailimages_rendition",
)
DOWNLOADS_WRITING = {
    "records:certificate": ("records_recordevent",),
    "records:credit_certificate": ("records_recordevent",),
    # The first download of each version of a record's credential issues it: a status entry
    # (and the issuer's first status list).
    "records:credential": (
        "records_recordevent",
        "records_issuerkey",
        "records_credentialstatusentry",
        "records_credentialstatuslist",
    ),
}


def rendering_writes(name: str, writes: list[str]) -> list[str]:
    allowed = WRITES_ALLOWED_ON_GET + DOWNLOADS_WRITING.get(name, ())
    return [sql for sql in writes if not any(table in sql for table in allowed)]


def foreign_words(body: bytes, readable: set[str]) -> list[str]:
    """The private words of tenants the reader may not read, found in ``body``."""
    return [MARKERS[t] for t in MARKERS if t not in readable and MARKERS[t].encode() in body]


@pytest.mark.django_db
# Every URL × role × tenant, GET and POST: minutes on two busy cores, like the hostile input.
@pytest.mark.timeout(1200)
def test_permission_grid(world, django_db_blocker, request):
    """Unauthorized roles: GET and an empty POST, each must be refused and write nothing.
    Authorized roles: a GET by each for URLs without objects (their content is checked for
    other tenants' words), by one of them per object otherwise (the URL must work); no GET
    writes a row of ours (rendering reads only)."""
    stats = request.config.stash.setdefault(GRID, Counter())
    problems = []
    tested = set()
    with django_db_blocker.unblock():
        ask = Requester(world.users)
        cells = [
            (endpoint.name, tenant, url)
            for endpoint in endpoints()
            if endpoint.name in EXPECTED
            for tenant, url in kwargs_for(endpoint, world)
        ] + page_cells(world)
        for name, tenant, url in cells:
            tested.add(name)
            allowed = allowed_roles(name, tenant)
            privileged = privileged_roles(name, tenant) if tenant != "-" else set()
            probed = False
            for role in ROLES:
                stats["cells"] += 1
                where = f"{name} [{tenant}] {url} as {role}"
                readable = set(READS[role]) | ({tenant} if role in privileged else set())
                if role in allowed:
                    if tenant != "-" and probed:
                        continue
                    probed = True
                    got = ask(role, "GET", url)
                    stats["granted"] += leaked(got)
                    wrote = rendering_writes(name, got.writes)
                    if wrote:
                        problems.append(f"rendering wrote: {where}: {wrote[:2]}")
                    opens = name in OPEN_TO_THE_FIRST or name.startswith("wagtail_serve:")
                    if opens and got.status != 200:
                        problems.append(f"did not open ({got.status}): {where}")
                else:
                    got = ask(role, "GET", url)
                    if leaked(got):
                        problems.append(f"LEAK GET {got.status}: {where}")
                    if got.writes:
                        problems.append(f"unauthorized GET wrote: {where}: {got.writes[:2]}")
                    if sent_to_sign_in(got):
                        continue
                    posted = ask(role, "POST", url)
                    if not refused(posted):
                        problems.append(f"LEAK POST {posted.status}: {where}")
                    if posted.writes:
                        problems.append(f"unauthorized POST wrote: {where}: {posted.writes[:2]}")
                if got.status >= 500:
                    problems.append(f"server error {got.status}: {where}")
                words = foreign_words(got.body, readable) if leaked(got) else []
                if words:
                    problems.append(f"LEAK of {words} in {got.status}: {where}")
    stats["endpoints"] = len(tested)
    stats["requests"] = ask.count
    stats["leaks"] = sum(1 for p in problems if p.startswith(("LEAK", "unauthorized")))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_api_tokens_see_only_their_tenant(world, django_db_blocker):
    """The integration API answers a bearer token, never a session: each association's
    token lists its own consenting learner's records and nothing of the other tenant."""
    with django_db_blocker.unblock():
        ask = Requester(world.users)
        for name, tenant in world.tenants.items():
            other = "B" if name == "A" else "A"
            got = ask(
                "anonymous",
                "GET",
                "/api/v1/records",
                HTTP_AUTHORIZATION=f"Bearer {tenant.api_token}",
            )
            assert got.status == 200, name
            assert MARKERS[name].encode() in got.body
            assert MARKERS[other].encode() not in got.body
        for role in ROLES:
            assert ask(role, "GET", "/api/v1/records").status == 401, role

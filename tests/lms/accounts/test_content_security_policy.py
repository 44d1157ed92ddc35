"""The content security policy production sends (turned on here as production does)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def with_csp(settings):
    settings.ATTUNE_CSP = True


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_allow_only_our_own_scripts(client):
    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "blob:" in policy["media-src"]  # the player's Media Source buffers
    assert "blob:" in policy["worker-src"]  # hls.js's transmuxing worker


def test_the_admin_also_allows_its_inline_scripts(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/audit-log/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["script-src"] == [
        "'self'",
        "'unsafe-inline'",
    ]


def test_no_policy_when_turned_off(client, settings):
    settings.ATTUNE_CSP = False
    assert "Content-Security-Policy" not in client.get("/accounts/login/")


def test_redirects_and_refusals_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/admin/")
    assert "Content-Security-Policy" in client.get("/no-such-page/")

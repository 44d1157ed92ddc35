"""Fixtures of the LTI tests: a real platform (``lti1p3platform`` on loopback) connected to
Great Lakes, and a course of Great Lakes' to open.

``lti_platform.launch(client, user_id=..., custom=...)`` drives one launch through Django's
test client; ``lti_platform.scores`` holds the scores Attune posted; ``lti_platform.members``
is the roster the platform serves; ``lti_platform.deep_linked`` the items it accepted;
``trust_attune_keys(client)`` gives the platform Attune's published JWKS (for its token
endpoint; with a live server the platform fetches it itself).
"""

import pytest

from interop.lti.services.connections import connect_platform
from interop.lti.services.targets import custom_parameters
from tests.courses.factories import training

from .platform import TestPlatform, tool_jwks_from

HOST = "great-lakes.localhost"


@pytest.fixture
def lti_platform():
    platform = TestPlatform(tool_url=f"http://{HOST}").start()
    yield platform
    platform.stop()


@pytest.fixture
def lti_connection(great_lakes, lti_platform):
    return connect_platform(
        organization=great_lakes,
        name="Great Lakes Canvas",
        issuer=lti_platform.issuer,
        client_id=lti_platform.client_id,
        auth_url=lti_platform.auth_url,
        token_url=lti_platform.token_url,
        keyset_url=lti_platform.keyset_url,
        deployment_ids=[lti_platform.deployment_id],
    )


@pytest.fixture
def lti_course(great_lakes):
    return training(great_lakes, "Attachment across the first year")


@pytest.fixture
def lti_target(lti_course):
    """Custom parameters of a resource link that opens ``lti_course``."""
    return custom_parameters(training=lti_course)


@pytest.fixture
def lti_client(client):
    """Django's test client on Great Lakes' site (where the platform sends its launches)."""
    client.defaults["HTTP_HOST"] = HOST
    return client


@pytest.fixture
def trust_attune_keys(lti_platform):
    def trust(client):
        lti_platform.tool_jwks = tool_jwks_from(client)
        return lti_platform.tool_jwks

    return trust

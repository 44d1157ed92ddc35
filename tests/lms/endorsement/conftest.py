import pytest


@pytest.fixture
def lakes(framework):
    """Great Lakes Association with the small application rules of ``applying.small_rules``."""
    from tests.factories import OrganizationFactory
    from tests.lms.endorsement.applying import small_rules

    association = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(association)
    return association

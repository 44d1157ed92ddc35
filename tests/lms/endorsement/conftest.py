import pytest
from wagtail.models import Site


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    """Wagtail caches site root paths outside the database: sites of a rolled-back test must
    not give suggested trainings stale URLs here, nor ours leak into the next test."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def lakes(framework):
    """Great Lakes Association with the small application rules of ``applying.small_rules``."""
    from tests.factories import OrganizationFactory
    from tests.lms.endorsement.applying import small_rules

    association = OrganizationFactory(name="Great Lakes Association", slug="lakes")
    small_rules(association)
    return association

import pytest
from wagtail.models import Site

from tests.courses.factories import association


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    """Wagtail caches site root paths outside the database; a rolled-back test's sites must
    not leak into the next test."""
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def great_lakes(framework):
    return association("great-lakes", name="Great Lakes Association")


@pytest.fixture
def prairie(framework):
    return association("prairie", name="Prairie Association")

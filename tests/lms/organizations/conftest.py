import pytest
from wagtail.models import Site

from tests.courses.factories import association, training


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    """Wagtail caches site root paths outside the database: a rolled-back test's sites must
    not leak into the next test."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def great_lakes(framework):
    return association("great-lakes", name="Great Lakes Association")


@pytest.fixture
def prairie(framework):
    return association("prairie", name="Prairie Association")


@pytest.fixture
def course(great_lakes):
    return training(great_lakes, "Reading a baby's cues", require_evaluation=False)

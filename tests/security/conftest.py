"""The two tenants' world, built once per module, and the grid's terminal summary."""

import pytest
from django.db import transaction
from wagtail.models import Site

from media_pipeline.storage import delete_tree

from .grid import GRID, summary
from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        Site.clear_site_root_paths_cache()
        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)
        Site.clear_site_root_paths_cache()
    for tenant in built.tenants.values():  # the recordings' files are not in the database
        delete_tree(tenant.objects["media_pipeline.recording"].storage_prefix)


def pytest_terminal_summary(terminalreporter, config):
    stats = config.stash.get(GRID, None)
    if stats:
        terminalreporter.write_line(summary(stats))

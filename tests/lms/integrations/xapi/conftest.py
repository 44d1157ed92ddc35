import pytest

from .ralph import Ralph


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    """A real Ralph LRS for the session (statements are told apart by their actor)."""
    lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    lrs.start()
    yield lrs
    lrs.stop()

import pytest

from tests.factories import OrganizationFactory

from .hostile import CountingHTTPServer, FifoWatch
from .media import make_clip
from .s3 import s3  # noqa: F401 - S3 through moto, for every test here


@pytest.fixture
def private_storage(settings, tmp_path):
    """The pipeline's storage and work folder in this test's own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "media_pipeline": {
            "BACKEND": "media_pipeline.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.MEDIA_PIPELINE_WORK_DIR = tmp_path / "work"
    return tmp_path / "private"


@pytest.fixture
def owner(db):
    return OrganizationFactory(name="Great Lakes Association")


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Clips made once per run, by name, on first use."""
    folder = tmp_path_factory.mktemp("clips")
    made = {}

    def clip(name, **options):
        if name not in made:
            made[name] = make_clip(folder / name, **options)
        return made[name]

    return clip


@pytest.fixture(autouse=True)
def forget_site_root_paths():
    """Tests here build association sites; Wagtail caches the site roots it has seen."""
    yield
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()


@pytest.fixture
def great_lakes(framework):
    """An association with its own site and catalog, for recordings shown on its pages."""
    from tests.courses.factories import association

    return association("great-lakes")


@pytest.fixture
def fifo(tmp_path):
    """A FIFO that notices a reader: what a hostile file points at, proven never opened."""
    watch = FifoWatch(tmp_path / "other-learners-recording.ts")
    yield watch
    watch.stop()


@pytest.fixture
def http_server():
    """A local HTTP server that counts requests: proof that nothing was fetched."""
    server = CountingHTTPServer()
    yield server
    server.stop()

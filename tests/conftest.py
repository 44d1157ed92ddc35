"""Fixtures shared by the whole suite: the loaded framework, two associations, a clean
cache around every test, and a real Celery worker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def forget_caches():
    """Wagtail's site root paths, brands, the rendered catalog and rate limits live outside
    the database: a rolled-back test's must not leak into the next test."""
    cache.clear()
    Site.clear_site_root_paths_cache()
    yield
    cache.clear()
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def default_language_between_tests():
    """A request leaves its language active in the thread (as Django's LocaleMiddleware
    does): a test that follows one in Spanish must not read its strings in Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def platform_on_live_server(request):
    """Tests with a live server serve the platform (the sites' sign-in provider) there."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    settings_fixture = request.getfixturevalue("settings")
    settings_fixture.ATTUNE_PLATFORM_URL = live_server.url
    yield


@pytest.fixture
def no_search_index(settings):
    """For tests that publish hundreds of pages to count queries, not to search them: on
    PostgreSQL each new index entry re-weighs every title, so hundreds take many minutes."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**backend, "AUTO_UPDATE": False}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }


@pytest.fixture
def framework(db):
    """The competency framework shipped in the repository, loaded as `make run` loads it."""
    call_command("load_framework", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from lms.competencies.models import CompetencyFramework

    return CompetencyFramework.objects.get()


@pytest.fixture
def great_lakes(framework):
    from tests.courses.factories import association

    return association("great-lakes", name="Great Lakes Association")


@pytest.fixture
def prairie(framework):
    from tests.courses.factories import association

    return association("prairie", name="Prairie Association")


def ensure_default_site(hostname="localhost", port=80):
    """The default site with Attune's home page. Transactional tests flush the database, which
    removes what the migrations created, so tests that commit data call this first."""
    from wagtail.models import Locale, Page, Site

    from courses.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Attune", slug="attune"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Attune"
        )
    return site


@pytest.fixture
def default_site(db):
    return ensure_default_site()


def worker_environment(**extra) -> dict:
    """Environment for a worker process that shares this test run's database and broker."""
    from django.db import connection

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.test",
        ATTUNE_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class WorkerProcess:
    """A real `celery worker` subprocess; tests may kill and restart it."""

    def __init__(self, queues="default,transcode", name="attune-test", log_dir=None):
        self.queues = queues
        self.name = name
        self.log_dir = Path(log_dir or settings.VAR_DIR / "test-celery")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.process = None
        self.log_path = None

    def start(self):
        self.log_path = self.log_dir / f"{self.name}-{time.time_ns()}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lms", "worker",
                "-Q", self.queues, "--pool=solo", "--concurrency=1",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"{self.name}-{os.getpid()}@%h", "-l", "info",
            ],
            cwd=ROOT, env=worker_environment(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        return self

    def wait_ready(self, timeout=60):
        """Block until the worker has answered a round trip through the broker."""
        from lms.celery import ping

        ping.apply_async(args=["ready"]).get(timeout=timeout)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self, sig=9):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def purge_queues():
    from lms.celery import app, ensure_broker_folders

    ensure_broker_folders()
    with app.connection_for_write() as conn:
        for queue in ("default", "transcode"):
            conn.default_channel.queue_purge(queue)


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker on both queues, against the test database. Tests must commit their data."""
    purge_queues()
    worker = WorkerProcess().start()
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()


CHROMIUM = os.environ.get("ATTUNE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (browser downloads are not possible here)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls in tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, request):
    """A fresh browser context on the live server; saves a screenshot if the test fails."""
    ensure_default_site()
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


def screenshot(page, journey: str, name: str) -> Path:
    """Save a named screenshot of a key screen under test-artifacts/<journey>/."""
    folder = ARTIFACTS / journey
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    # A full-page capture leaves Chromium scrolled elsewhere than Playwright believes, and
    # the next click may land on nothing: put the scroll position back.
    position = page.evaluate("[window.scrollX, window.scrollY]")
    page.screenshot(path=str(path), full_page=True)
    page.evaluate("([x, y]) => window.scrollTo(x, y)", position)
    return path


def sign_in(page, email, password="correct-horse-battery", site=""):
    """Sign in on the live server, or on ``site`` (an association's own host, whose sign-in
    is the platform's form and brings the browser back signed in on both)."""
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_terminal_summary(terminalreporter):
    if ARTIFACTS.exists() and any(ARTIFACTS.rglob("*.png")):
        terminalreporter.write_line(f"Browser screenshots: {ARTIFACTS}")

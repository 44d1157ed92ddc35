"""In Chromium, under the production Content Security Policy: the player streams through
hls.js (blob: media) and the Wagtail admin's screens work, with no violation reported."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from lms.audit.models import AuditAction
from lms.audit.services import record_event
from tests.conftest import sign_in
from tests.courses.factories import site_path
from tests.factories import UserFactory
from tests.lms.accounts.test_content_security_policy import directives
from tests.media_pipeline.conftest import private_storage  # noqa: F401 - a fixture
from tests.media_pipeline.published import enrolled_viewing

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('[data-attune-player] video')"
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def production_policy(settings):
    settings.ATTUNE_CSP = True
    yield
    Site.clear_site_root_paths_cache()


class Violations:
    """Violations seen by the page's own listener and reported on the console."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.console.append(message.text)
            ),
        )

    def assert_none(self, where):
        seen = self.page.evaluate("window.cspViolations || []")
        assert not seen and not self.console, f"{where}: {seen} {self.console}"


@pytest.mark.usefixtures("private_storage")
def test_player_and_admin_work_under_the_policy(
    browser_page, live_server, transactional_db, production_policy, tmp_path
):
    viewing = enrolled_viewing(live_server, tmp_path, seconds=6)
    great_lakes, recording = viewing.association, viewing.recording
    webinar, learner = viewing.webinar, viewing.learner

    page = browser_page
    violations = Violations(page)
    response = page.goto("/accounts/login/")
    assert directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    sign_in(page, learner.email)
    page.add_init_script(
        """document.addEventListener('attune-player:ready', () => {
            window.attunePlayerReady = true;
        });"""
    )
    page.goto(site_path(webinar))
    # Playwright's wait_for_function evaluates strings, which this very policy forbids; these
    # promises run through the DevTools protocol instead.
    page.evaluate(
        """() => window.attunePlayerReady || new Promise((resolve) =>
            document.addEventListener('attune-player:ready', resolve, {once: true}))"""
    )
    page.get_by_role("button", name="Play").click()
    page.evaluate(
        f"""() => new Promise((resolve) => {{
            const video = {VIDEO};
            const check = () => video.currentTime > 1 && resolve();
            video.addEventListener('timeupdate', check);
            check();
        }})"""
    )
    source = page.evaluate(f"{VIDEO}.currentSrc")
    assert source.startswith("blob:"), "hls.js streams through Media Source Extensions"
    violations.assert_none("player")

    page.context.clear_cookies()
    staff = UserFactory(is_superuser=True, is_staff=True)
    record_event(action=AuditAction.DATA_EXPORTED, organization=great_lakes, target_repr="csv")
    sign_in(page, staff.email)
    for path, ready in [
        ("/admin/snippets/organizations/organization/", great_lakes.name),
        (f"/admin/pages/{webinar.pk}/edit/", webinar.title),
        ("/admin/recordings/", "Recordings"),
        (f"/admin/recordings/inspect/{recording.pk}/", recording.title),
        ("/admin/audit-log/", "Audit log"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        policy = directives(response.headers["content-security-policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        expect(page.locator("main").get_by_text(ready).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        violations.assert_none(path)
    # The admin's scripts run: the sidebar's menu opens.
    page.goto("/admin/recordings/")
    page.get_by_role("button", name="Reports").click()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    violations.assert_none("admin menu")


def test_the_api_docs_render_from_our_own_files_under_the_policy(
    browser_page, live_server, transactional_db, production_policy
):
    page = browser_page
    violations = Violations(page)
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            not request.url.startswith(live_server.url) and elsewhere.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Attune")
    expect(page.locator(".opblock").first).to_be_visible()
    assert not elsewhere, elsewhere
    violations.assert_none("the API docs")

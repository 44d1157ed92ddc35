"""Every learner, manager and public page of the demo, as each demo role, on phones and desks.

For each role the browser signs in on the Great Lakes site, the Prairie site and the platform
site, starts at the home page and follows same-host links (never /admin/, downloads, sign-out
or anything answered with something other than a page): in depth on the site that role uses
most, one link deep on the two others. Every page it reaches is checked at
390×844 and at 1280×800: nothing scrolls sideways, axe-core finds no serious or critical
violation, and the browser console stays free of errors. A page shape (its path with numbers
and slugs of detail pages folded) is checked once per site, by the first role that reaches
it, so the crawl stays within a few minutes. Screenshots of the main pages at both sizes go
to test-artifacts/every-page/."""

import re
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.services.enrollment import enroll
from demo.learning import load_demo_webinar
from demo.loader import DEMO_PASSWORD, load_demo
from demo.requirements import load_demo_requirements
from lms.accounts.models import User
from lms.organizations.models import Facilitator, Organization
from tests.conftest import ARTIFACTS
from tests.e2e.axe import serious_violations

pytestmark = pytest.mark.e2e

SIZES = {"phone": (390, 844), "desk": (1280, 800)}
# Anonymous first (public pages), then the roles whose pages differ most, each with the site
# it is crawled on in depth; on the other sites only the pages the header and home link to.
ROLES = [
    (None, "great-lakes"),
    ("learner@attune.example", "great-lakes"),
    ("manager@attune.example", "platform"),
    ("staff@attune.example", "platform"),
    ("gl-admin@attune.example", "great-lakes"),
    ("pr-reviewer@attune.example", "prairie"),
    ("faculty@attune.example", "platform"),
    ("admin@attune.example", "platform"),
]
DEEP = {"pages": 40, "depth": 4}  # pages loaded (to follow their links), checked or not
SHALLOW = {"pages": 14, "depth": 1}
SAME_SECTION = 3  # detail pages of one kind (e.g. three trainings of the catalog)
SKIP = re.compile(
    r"^/(admin|django-admin|documents|media|static|play|api)/"
    r"|/accounts/logout/|/logout|\.(pdf|csv|ics|json|zip|png|jpg|svg|mp4|m3u8|vtt)$"
    r"|/(export|download|certificate|ics|calendar)(/|\.|$)"
)
# The pages whose screenshots are kept (path of the first page of that shape).
MAIN = re.compile(
    r"^/$|^/catalog/$|^/learning/$|^/records/$|^/portfolio/$|^/applications/$|^/centers/"
    r"|^/accounts/login/$|^/styleguide/$"
)
NUMBER = re.compile(r"/\d+(?=/|$)")
TOKEN = re.compile(r"/[0-9a-f-]{16,}(?=/|$)|/[A-Za-z0-9_:-]{30,}(?=/|$)")


def shape(path: str) -> str:
    """What a page is, whichever object it shows: numbers and tokens folded."""
    return TOKEN.sub("/<token>", NUMBER.sub("/<n>", path))


def section(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:1]) if len(parts) > 1 else path


def check(page, *, label: str, errors: list[str], screenshot_name: str | None) -> list[str]:
    """Both sizes on the page already loaded. Returns failure lines."""
    failures = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if overflow[0] > overflow[1]:
            failures.append(f"overflow {size} {label}: {overflow[0]} px > {overflow[1]} px")
        if screenshot_name:
            folder = ARTIFACTS / "every-page"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{screenshot_name}-{size}.png"), full_page=True)
        for line in serious_violations(page, name=f"every-page-{size}-{screenshot_name or 'x'}"):
            failures.append(f"axe {size} {label}: {line}")
    for error in errors:
        failures.append(f"console {label}: {error}")
    errors.clear()
    return failures


def crawl(
    context, *, site, role, seen, visited, failures, checked, pages: int, depth: int, start=("/",)
):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text[:200]) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    host = urlparse(site).netloc
    queue = [(f"{site}{path}", 0) for path in start]
    queued = {url for url, _ in queue}
    per_section: dict[str, int] = {}
    count = 0
    while queue and count < pages:
        url, level = queue.pop(0)
        path = urlparse(url).path or "/"
        key = (host, shape(path))
        sect = section(path)
        if per_section.get(sect, 0) >= SAME_SECTION and sect != path:
            continue
        page.set_viewport_size({"width": 1280, "height": 800})
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # a download or an aborted navigation
            if "Download" not in str(error):
                failures.append(f"navigation {role} {url}: {str(error)[:120]}")
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if urlparse(page.url).netloc != host or SKIP.search(urlparse(page.url).path):
            continue  # redirected elsewhere (e.g. a sign-in on another site)
        if response.status >= 400:
            failures.append(f"status {response.status} {role} {url}")
            errors.clear()
            continue
        per_section[sect] = per_section.get(sect, 0) + 1
        count += 1
        # A start page is checked as this role even when another role saw its shape: it
        # shows this role something else (the player, once enrolled).
        if key not in seen or (level == 0 and path != "/" and (role, key) not in seen):
            seen.add((role, key))
            seen.add(key)
            visited[role] = visited.get(role, 0) + 1
            label = f"{role} {url.replace(site, urlparse(site).hostname)}"
            checked.append(label)
            name = None
            if MAIN.search(path):
                slug = path.strip("/").replace("/", "-") or "home"
                name = f"{urlparse(site).hostname.split('.')[0]}-{slug}-{role.split('@')[0]}"
            failures.extend(check(page, label=label, errors=errors, screenshot_name=name))
        errors.clear()
        if level >= depth:
            continue
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
        ):
            target = urldefrag(urljoin(page.url, href))[0]
            parsed = urlparse(target)
            if not parsed.path:
                target, parsed = f"{target}/", urlparse(f"{target}/")
            if parsed.scheme not in ("http", "https") or parsed.netloc != host:
                continue
            if SKIP.search(parsed.path) or target in queued:
                continue
            queued.add(target)
            queue.append((target, level + 1))
    page.close()


def sign_in_on(context, site: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def test_every_page_fits_a_phone_passes_axe_and_logs_no_error(
    chromium, live_server, transactional_db
):
    from tests.conftest import ensure_default_site

    port = urlparse(live_server.url).port
    ensure_default_site()
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    load_demo_requirements()
    for organization in Organization.objects.filter(slug__in=["great-lakes", "prairie"]):
        organization.site.port = port
        organization.site.save()
    webinar = load_demo_webinar(
        organization=Organization.objects.get(slug="great-lakes"),
        facilitators=[Facilitator.objects.get(name="Dana Whitfield")],
    )
    # The learner is enrolled in the demo webinar, so the player and the evaluation start
    # their crawl (a POST would be needed to reach them), and the post-test is linked there.
    learner = User.objects.get(email="learner@attune.example")
    enroll(learner=learner, training=webinar)
    learning = [urlparse(webinar.full_url).path, reverse("learning:evaluation", args=[webinar.pk])]
    starts = {"learner@attune.example": ("/", *learning)}
    sites = {
        "great-lakes": f"http://great-lakes.localhost:{port}",
        "prairie": f"http://prairie.localhost:{port}",
        "platform": live_server.url,
    }
    seen: set = set()
    visited: dict = {}
    failures: list[str] = []
    checked: list[str] = []
    for email, home in ROLES:
        role = email or "anonymous"
        for name, site in sorted(sites.items(), key=lambda item: item[0] != home):
            context = chromium.new_context(viewport={"width": 1280, "height": 800})
            context.set_default_timeout(15_000)
            if email:
                sign_in_on(context, site, email)
            bounds = DEEP if name == home else SHALLOW
            start = starts.get(email, ("/",)) if name == home else ("/",)
            crawl(
                context, site=site, role=role, seen=seen, visited=visited, failures=failures,
                checked=checked, start=start,
                **bounds,
            )  # fmt: skip
            context.close()
    summary = ", ".join(f"{role}: {n}" for role, n in visited.items())
    print(f"\nPages checked at both sizes: {sum(visited.values())} ({summary})")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "every-page.txt").write_text(
        f"{summary}\n\nProblems:\n" + "\n".join(failures) + "\n\nChecked:\n" + "\n".join(checked)
    )
    assert sum(visited.values()) > 30, summary
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)

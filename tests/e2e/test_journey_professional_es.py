"""Journey 2 in Spanish: the professional of the English journey, who reads Spanish, goes
from the Spanish catalog to the export for the application, in Chromium.

The learner (their profile says Spanish) finds the demo webinar's Spanish version in the
catalog at /es/, where it says it is offered in Español; enrolls; watches it at 2×; passes
the post-test in Spanish; evaluates it in Spanish; downloads the certificate, whose labels
are Spanish and whose facts are those issued; the portfolio counts the hours; the export for
the application downloads. Every control is found by the Spanish words of the interface's
catalog (``es``), so the test follows the catalog's wording, and every page is checked for
English interface strings (``tests.e2e.english``)."""

import csv
import io
import re
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import formats, translation
from playwright.sync_api import expect

from courses.models import Enrollment, WatchProgress
from demo.learning import CLIP_SECONDS, load_demo_webinar
from demo.loader import DEMO_PASSWORD, load_demo
from demo.requirements import load_demo_requirements
from demo.translations import PLAYABLE_SPANISH, translate_playable_webinar
from lms.accounts.models import User
from lms.accounts.services import set_preferred_language
from lms.organizations.models import Facilitator, Organization
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.e2e.english import assert_no_english, english_on_page

pytestmark = pytest.mark.e2e
JOURNEY = "professional-es"
LEARNER = "learner@attune.example"
WEBINAR = "Serve and return in ten seconds"
WEBINAR_ES = PLAYABLE_SPANISH[WEBINAR]


def es(text: str) -> str:
    """The Spanish of an interface string, as the catalog has it now."""
    with translation.override("es"):
        return translation.gettext(text)


def es_n(singular: str, plural: str, number: int) -> str:
    with translation.override("es"):
        return translation.ngettext(singular, plural, number)


def es_pattern(*texts: str, **values) -> re.Pattern:
    """A pattern for the Spanish of messages with placeholders (any of ``texts``, already in
    Spanish): each placeholder's value when given, else anything."""
    alternatives = []
    for spanish in texts:
        pattern = ""
        for piece in re.split(r"(%\(\w+\)[sd])", spanish):
            name = re.fullmatch(r"%\((\w+)\)[sd]", piece)
            if name is None:
                pattern += re.escape(piece)
            elif name.group(1) in values:
                pattern += re.escape(str(values[name.group(1)]))
            else:
                pattern += ".+?"
        alternatives.append(pattern)
    return re.compile("|".join(alternatives))


def nav(page, name):
    return page.get_by_role("navigation", name=es("Main")).get_by_role("link", name=es(name))


def training_hours(page):
    return page.get_by_role("progressbar", name=es("Training hours"))


def check(page, name: str, *, axe: bool = False) -> list[str]:
    """A screen of the journey: its screenshot is kept, and what is wrong with it is returned
    (collected, so one run names every page's problems): the English interface strings it
    shows and, with ``axe``, its serious or critical violations."""
    screenshot(page, JOURNEY, name)
    found = [f"{name}: English {hit!r}" for hit in english_on_page(page)]
    if axe:
        found += [f"{name}: {line}" for line in serious_violations(page, name=f"{JOURNEY}-{name}")]
    return found


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_a_professional_who_reads_spanish_completes_a_webinar_and_exports_in_spanish(
    browser_page, live_server, transactional_db
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    load_demo_requirements()
    great_lakes = Organization.objects.get(slug="great-lakes")
    webinar = load_demo_webinar(
        organization=great_lakes, facilitators=[Facilitator.objects.get(name="Dana Whitfield")]
    )
    spanish_webinar = translate_playable_webinar(webinar)
    port = urlparse(live_server.url).port
    great_lakes.site.port = port
    great_lakes.site.save()
    site = f"http://great-lakes.localhost:{port}"
    learner = User.objects.get(email=LEARNER)
    set_preferred_language(user=learner, language="es")
    found: list[str] = []

    page = browser_page
    sign_in(page, LEARNER, DEMO_PASSWORD, site=site)
    nav(page, "Portfolio").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Endorsement portfolio"))
    expect(training_hours(page)).to_have_attribute("value", "29.50")
    found += check(page, "01-portfolio-before")

    # The Spanish catalog, filtered on the area the webinar covers, lists it in Spanish and
    # says it is offered in Español.
    page.goto(f"{site}/es/catalog/")
    page.get_by_label(es("Competency area"), exact=True).select_option("DSS")
    page.get_by_role("button", name=es("Show trainings")).click()
    matches = [
        es_n(
            "%(counter)s training matches your filters",
            "%(counter)s trainings match your filters",
            n,
        )
        for n in (1, 2)
    ]
    expect(page.get_by_role("heading", name=es_pattern(*matches))).to_be_visible()
    results = page.locator(".training-list")
    expect(results.get_by_role("link", name=WEBINAR)).to_have_count(0)
    card = results.locator(".training-card").filter(has=page.get_by_role("link", name=WEBINAR_ES))
    expect(card.locator(".training-languages [lang='es']")).to_have_text("Español")
    found += check(page, "02-catalog-filtered-by-area", axe=True)
    results.get_by_role("link", name=WEBINAR_ES).click()
    expect(page).to_have_url(re.compile(rf"/es/.*{spanish_webinar.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR_ES)
    found += check(page, "03-training", axe=True)

    # Enroll and watch at 2×.
    page.get_by_role("button", name=es("Enroll")).click()
    expect(page.get_by_text(es_pattern(es("You are enrolled in “%(title)s”.")))).to_be_visible()
    player = page.locator("[data-attune-player]")
    player.get_by_label(es("Speed")).select_option("2")
    player.get_by_role("button", name=es("Play")).click()
    expect(page.locator("[data-watch-coverage]")).to_have_text(
        re.compile(r"^(9[5-9]|100)$"), timeout=30_000
    )
    progress = WatchProgress.objects.get(learner=learner)
    assert progress.max_rate_claimed == 2
    assert progress.wall_seconds < CLIP_SECONDS * 0.8
    expect(page.locator("[data-rule='watch']")).to_have_class("met", timeout=15_000)
    page.wait_for_function("document.querySelector('[data-attune-player] video').ended")
    found += check(page, "04-watched-at-2x", axe=True)

    # The post-test in Spanish; the attempt counts for the training.
    page.get_by_role("link", name=es("Take the post-test")).click()
    label = es("Post-test")  # the editor's default label, read through the catalog
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    page.get_by_role("button", name=es("Start the %(name)s") % {"name": label.lower()}).click()
    expect(
        page.get_by_text(PLAYABLE_SPANISH["What starts a serve-and-return exchange?"])
    ).to_be_visible()
    for answer in ("The child's cue", "Name it", "Take turns"):
        page.get_by_label(PLAYABLE_SPANISH[answer], exact=True).check()
    page.get_by_label(PLAYABLE_SPANISH["True"], exact=True).check()
    found += check(page, "05-post-test", axe=True)
    page.get_by_role("button", name=es("Submit answers")).click()
    expect(page.get_by_role("heading", name=f"{es('Passed')}: 100%")).to_be_visible()
    expect(
        page.get_by_text(
            PLAYABLE_SPANISH["Adults notice and respond to what the child shows interest in."]
        )
    ).to_be_visible()
    found += check(page, "06-post-test-passed")
    page.get_by_role("link", name=es("Back to the training")).click()

    # The evaluation in Spanish; the record is issued, with its certificate.
    page.get_by_role("link", name=es("open the evaluation")).click()
    for group in page.locator("fieldset.likert").all():
        group.get_by_label(es("Agree"), exact=True).check()
    page.get_by_label(PLAYABLE_SPANISH["What will you do differently in your practice?"]).fill(
        "Esperar la señal del bebé antes de hablar."
    )
    page.get_by_label(es("I completed this training myself.")).check()
    found += check(page, "07-evaluation", axe=True)
    page.get_by_role("button", name=es("Submit")).click()
    expect(page.get_by_text(es("Thank you. Your training record has been issued."))).to_be_visible()
    found += check(page, "08-completed", axe=True)
    certificate = page.get_by_role("link", name=es("download the certificate (PDF)"))
    with page.expect_download() as download_info:
        certificate.click(modifiers=["Alt"])  # Alt-click saves the link instead of opening it
    pdf = Path(download_info.value.path()).read_bytes()
    record = Enrollment.objects.get(learner=learner).record
    assert record.title in (WEBINAR, WEBINAR_ES)
    assert record.duration_hours == webinar.contact_hours
    # The certificate: Spanish labels, the facts as issued (title, date, hours).
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert record.title in flat
    with translation.override("es"):
        day = formats.date_format(record.completed_on, "DATE_FORMAT")
        hours = formats.number_format(record.duration_hours.normalize(), use_l10n=True)
    assert day in flat, (day, flat)
    assert hours in flat and "0,25" in flat, (hours, flat)
    for label_text in ("Certificate of completion", "This certifies that", "Duration"):
        assert es(label_text) != label_text and es(label_text) in flat, label_text
        assert label_text not in flat, label_text

    # My learning shows it finished, with its certificate.
    page.goto(f"{site}/learning/")
    card = page.locator(".learning-card").filter(has_text=re.compile(f"{WEBINAR_ES}|{WEBINAR}"))
    expect(card.locator("[data-next-action='certificate']")).to_be_visible()
    found += check(page, "09-my-learning")

    # The portfolio counts the new hours.
    nav(page, "Portfolio").click()
    expect(training_hours(page)).to_have_attribute("value", "29.75")
    found += check(page, "10-portfolio-after-webinar")

    # The export for the application, with the Spanish column names.
    export = page.locator("#export")
    export.get_by_label(es("From")).fill("2019-01-01")
    with page.expect_download() as download_info:
        export.get_by_role("button", name=es("Download CSV")).click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == [es("Record ID"), es("Date"), es("Duration (clock hours)")]
    titles = [row[3] for row in rows[1:]]
    assert record.title in titles and "Cultural humility in home visiting" in titles
    found += check(page, "11-export")

    # Every page names the training by the learner's version (its Spanish title).
    assert not found, "English interface strings or axe violations:\n" + "\n".join(found)
    assert_no_english(page)

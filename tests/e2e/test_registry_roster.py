"""The registry roster export in Chromium at 390 px: an association's editor chooses the
training, registry and dates, sees the rows the registry would reject and why, and downloads
the file, by keyboard, with no serious or critical axe violation and no sideways scroll."""

import csv
import io

import pytest
from playwright.sync_api import expect

from interop.registries.formats import registry_format
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import serious_violations
from tests.interop.registries.conftest import REGISTRY, event, gl_editor  # noqa: F401

pytestmark = pytest.mark.e2e


def test_preview_then_download_by_keyboard_at_390(browser_page, transactional_db, event, gl_editor):  # noqa: F811
    page = browser_page
    sign_in(page, gl_editor.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/registries/")
    page.get_by_label("Training").select_option(label=event.title)
    page.get_by_label("Registry").select_option(REGISTRY)
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("Until").fill("2026-03-31")
    page.get_by_label("Until").press("Enter")  # the form submits from the keyboard

    rejected = page.locator(".registry-rejected")
    expect(rejected).to_contain_text("Ben Example")
    expect(rejected).to_contain_text("No Registry ID on file.")
    expect(rejected).to_contain_text("not in the registry's format")
    expect(page.get_by_role("table")).to_contain_text("MI-100001")
    page.locator("#rejected-heading").scroll_into_view_if_needed()
    screenshot(page, "registry-roster", "preview-390")
    # Nothing sideways, in the document or in the admin's own scrolling main area.
    widths = page.evaluate(
        "[...document.querySelectorAll('html, main, .registry-roster')]"
        ".map((e) => [e.scrollWidth, e.clientWidth])"
    )
    assert all(scroll <= client for scroll, client in widths), f"sideways at 390 px: {widths}"
    select = page.locator("select#id_registry").bounding_box()
    assert select["x"] + select["width"] <= 390, select
    assert serious_violations(page, name="registry-roster-preview-390") == []

    download_button = page.get_by_role("button", name="Download the roster (CSV)")
    download_button.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.startswith("state-generic_")
    with open(download.path(), encoding="utf-8") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == registry_format(REGISTRY).headers
    assert [row[0] for row in rows[1:]] == ["MI-100001", "MI-100004"]

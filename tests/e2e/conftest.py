"""What the browser tests share beyond tests/conftest.py."""

from playwright.sync_api import expect

from tests.conftest import sign_in


def signed_in_page(chromium, base_url, email, **credentials):
    """Another person's browser: a page in a context of its own on ``base_url``, signed in.
    Close it with ``page.context.close()``."""
    context = chromium.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, email, **credentials)
    return page


def open_action_menu_item(page, name):
    """Wagtail's footer keeps secondary actions in a dropdown."""
    item = page.get_by_role("button", name=name)
    if not item.is_visible():
        page.get_by_role("button", name="More actions").click()
    item.click()


def choose(page, region, button, name):
    """Pick ``name`` in the chooser that ``button`` in ``region`` opens."""
    region.get_by_role("button", name=button).click()
    modal = page.locator(".modal")
    modal.get_by_role("link", name=name).first.click()
    expect(modal).to_be_hidden()
    expect(region.get_by_text(name).first).to_be_visible()

"""Journey: paying an association, in Chromium, against a real fake Stripe.

On the demo's Great Lakes site, with Stripe keys set for the association (localstripe runs as
a process on loopback; the payment page loads its Stripe.js stand-in and localstripe sends
its signed webhooks to the live server), under the production Content Security Policy, the
demo learner (not a member) buys the screening webinar at the non-member price, joins the
association with its annual membership, buys another training at the member price, and
finds all three orders on "Memberships & receipts", each training's receipt PDF naming the
training and its amount. Nothing is fulfilled by the browser: each order page waits for the
webhook. The price, payment, order and receipts pages carry the association's brand, fit a
390 px phone, pass axe (no serious or critical violation) and the pay button is reached and
pressed from the keyboard."""

import base64
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from commerce.memberships.selectors import active_membership, is_member
from commerce.models import Order, OrderStatus
from courses.models import Enrollment, TrainingPage
from demo.loader import DEMO_PASSWORD, load_demo
from lms.accounts.models import User
from lms.organizations.models import Organization
from tests.commerce.conftest import (  # noqa: F401 - fixtures
    VISA,
    localstripe,
    localstripe_webhook,
    merchant,
    stripe_server,
)
from tests.conftest import screenshot, sign_in
from tests.e2e.axe import AXE_SCRIPT
from tests.e2e.test_every_page import check
from tests.lms.accounts.test_csp_browser import Violations
from tests.lms.records.test_documents import pdf_text

pytestmark = pytest.mark.e2e
JOURNEY = "payments"
LEARNER = "learner@attune.example"
ADMIN = "gl-admin@attune.example"
WEBINAR = ("screening-social-emotional", "Screening for social-emotional concerns in toddlers")
SECOND = ("navigating-systems", None)  # its title is read from the demo
BRAND = ("GLAIMH", "#1f4e79")


def production_policy_with(settings, origin: str) -> None:
    """The production policy, with localstripe where Stripe's origins would be (the policy
    is built from STRIPE_JS_URL and STRIPE_API_BASE when the settings load)."""
    settings.ATTUNE_CSP = True
    directives = {k: list(v) for k, v in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}
    for name in ("script-src", "connect-src", "frame-src"):
        directives[name].append(origin)
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": directives,
    }


def passes(page, label, errors, violations):
    """The association's brand, 390 px without sideways scroll, axe and no console error
    (test-artifacts/every-page/payments-<label>-*.png), no policy violation."""
    header = page.locator("header .brand").first
    expect(header).to_contain_text(BRAND[0])
    expect(page.locator('meta[name="theme-color"]')).to_have_attribute("content", BRAND[1])
    name = "payments-" + re.sub(r"\W+", "-", label)
    failures = check(page, label=label, errors=errors, screenshot_name=name)
    assert not failures, "\n".join(failures)
    violations.assert_none(label)


def pay_by_keyboard(page, number=VISA):
    """Type the card into the (stand-in) card Element, then Tab to the pay button and press
    Enter: the keyboard reaches and uses it."""
    card = page.locator("#card-element")
    card.locator('input[placeholder="number"]').fill(number)
    card.locator('input[placeholder="exp_month"]').fill("12")
    card.locator('input[placeholder="exp_year"]').fill("34")
    card.locator('input[placeholder="cvc"]').fill("123")
    postal = card.locator('input[placeholder="postal_code"]')
    postal.fill("49503")
    postal.focus()
    page.keyboard.press("Tab")
    button = page.locator("[data-pay-button]")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")


# The browser itself fetches the receipt with the buyer's session (Playwright's own request
# context cannot resolve *.localhost as Chromium does).
FETCH = """async (url) => {
    const response = await fetch(url, {credentials: "same-origin"});
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 8192) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return [response.status, response.headers.get("content-type"), btoa(binary)];
}"""


def fetched(page, url) -> tuple[int, str, bytes]:
    status, kind, data = page.evaluate(FETCH, url)
    return status, kind, base64.b64decode(data)


def wait_until_paid(page):
    """The order page reloads itself until Stripe's webhook has settled the order."""
    page.wait_for_url(re.compile(r"/payments/orders/[0-9a-f-]+/$"))
    expect(page.locator("[data-order-status]")).to_have_attribute(
        "data-order-status", "paid", timeout=45_000
    )
    expect(page.get_by_text(re.compile(r"^Paid on .*Thank you!$"))).to_be_visible()


@pytest.mark.timeout(900)
def test_a_non_member_buys_joins_and_buys_at_the_member_price_with_both_receipts(
    browser_page,
    live_server,
    transactional_db,
    settings,
    merchant,  # noqa: F811 - the payments fixtures imported above
    localstripe_webhook,  # noqa: F811
):
    call_command("load_framework", verbosity=0, stdout=StringIO())
    load_demo()
    great_lakes = Organization.objects.get(slug="great-lakes")
    port = urlparse(live_server.url).port
    great_lakes.site.port = port
    great_lakes.site.save()
    site = f"http://great-lakes.localhost:{port}"
    # The association's admin sets its Stripe keys; localstripe sends its events, signed with
    # the association's webhook secret, to the association's webhook on the live server.
    merchant(great_lakes, by=User.objects.get(email=ADMIN))
    localstripe_webhook(great_lakes, live_server.url)
    production_policy_with(settings, settings.STRIPE_API_BASE)
    learner = User.objects.get(email=LEARNER)
    assert not is_member(person=learner, association=great_lakes)
    second = TrainingPage.objects.get(slug=SECOND[0], alias_of=None, locale__language_code="en")

    page = browser_page
    violations = Violations(page)
    # axe is given to every document before it loads: the policy refuses an added script.
    page.add_init_script(path=str(AXE_SCRIPT))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text[:200]) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    sign_in(page, LEARNER, DEMO_PASSWORD, site=site)

    # 1. A non-member buys the webinar at the non-member price.
    page.goto(f"{site}/catalog/{WEBINAR[0]}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR[1])
    purchase = page.locator("[data-purchase]")
    expect(purchase.locator("[data-price]")).to_have_text("$60.00")
    expect(purchase).not_to_contain_text("member price")
    screenshot(page, JOURNEY, "01-price")
    passes(page, "price", errors, violations)
    page.get_by_role("button", name="Buy for $60.00").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payment")
    expect(page.get_by_role("region", name="Your order")).to_contain_text(WEBINAR[1])
    # The stand-in card Element is mounted by our page's script (Stripe.js loaded).
    expect(page.locator('#card-element input[placeholder="number"]')).to_be_visible()
    expect(page.locator("[data-pay-button]")).to_have_text("Pay $60.00")
    screenshot(page, JOURNEY, "02-payment")
    passes(page, "payment", errors, violations)
    pay_by_keyboard(page)
    wait_until_paid(page)
    screenshot(page, JOURNEY, "03-order-paid")
    passes(page, "order", errors, violations)
    webinar = TrainingPage.objects.get(slug=WEBINAR[0], alias_of=None, locale__language_code="en")
    first = Order.objects.get(buyer=learner, lines__target_id=webinar.pk)
    assert (first.status, first.total) == (OrderStatus.PAID, 6000)
    assert Enrollment.objects.filter(learner=learner, training=webinar).count() == 1

    # 2. Joins Great Lakes with its annual membership ($70, 12 months).
    page.goto(f"{site}/payments/memberships/great-lakes/")
    expect(page.get_by_text("$70.00 for 12 months")).to_be_visible()
    page.get_by_role("button", name="Join with Annual membership").click()
    expect(page.locator("[data-pay-button]")).to_have_text("Pay $70.00")
    pay_by_keyboard(page)
    wait_until_paid(page)
    joined = active_membership(person=learner, association=great_lakes)
    assert joined is not None and joined.plan.name == "Annual membership"

    # 3. Buys another training, now at the member price.
    page.goto(f"{site}/catalog/{SECOND[0]}/")
    expect(purchase.locator("[data-price]")).to_have_text("$65.00")
    expect(purchase).to_contain_text("member price")
    page.get_by_role("button", name="Buy for $65.00").click()
    expect(page.locator("[data-pay-button]")).to_have_text("Pay $65.00")
    pay_by_keyboard(page)
    wait_until_paid(page)
    third = Order.objects.get(buyer=learner, lines__target_id=second.pk, lines__kind="training")
    assert (third.status, third.total) == (OrderStatus.PAID, 6500)
    assert Enrollment.objects.filter(learner=learner, training=second).count() == 1

    # 4. "Memberships & receipts" lists the membership and the three orders.
    page.get_by_role("link", name="Memberships & receipts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your memberships and receipts")
    memberships = page.get_by_role("table", name="Your association memberships")
    expect(memberships).to_contain_text("Annual membership")
    expect(memberships).to_contain_text("Active")
    orders = page.get_by_role("table", name="Your paid orders")
    expect(orders.locator("tbody tr")).to_have_count(3)
    rows = {
        WEBINAR[1]: ("$60.00", orders.locator("tr").filter(has_text=WEBINAR[1])),
        second.title: ("$65.00", orders.locator("tr").filter(has_text=second.title)),
    }
    expect(orders.locator("tr").filter(has_text="Annual membership")).to_contain_text("$70.00")
    screenshot(page, JOURNEY, "04-receipts")
    passes(page, "receipts", errors, violations)

    # 5. Each training's receipt PDF names the training and what was paid for it.
    for title, (amount, row) in rows.items():
        expect(row).to_contain_text(amount)
        link = row.get_by_role("link", name=re.compile(r"^Receipt"))
        status, kind, body = fetched(page, link.get_attribute("href"))
        assert (status, kind) == (200, "application/pdf")
        text = re.sub(r"\s+", " ", pdf_text(body))
        assert title in text and amount in text, (title, amount, text[:800])

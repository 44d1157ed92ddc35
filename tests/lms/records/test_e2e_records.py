import pytest
from django.core.management import call_command

from lms.records.models import ExternalTraining
from tests.conftest import screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_learner_adds_external_training_and_logs_rsc(browser_page, live_server):
    call_command("load_framework", verbosity=0)
    UserFactory(email="lee@example.org", first_name="Lee", last_name="Parker")
    page = browser_page
    sign_in(page, "lee@example.org")
    page.goto("/records/")
    page.get_by_role("link", name="Add external training").click()

    page.get_by_label("Title").fill("Circle of Security Parenting")
    page.get_by_label("Provider").fill("Riverbend Clinic")
    page.get_by_label("Date completed").fill("2019-05-02")
    page.get_by_label("Duration (clock hours)").fill("6")
    page.get_by_label("Delivery format").select_option("in_person")
    page.get_by_label("Theoretical Foundations (TF)").fill("4")
    page.get_by_label("Direct Service Skills (DSS)").fill("1")
    page.get_by_role("button", name="Add training").click()
    alert = page.get_by_role("alert")
    assert "add up to 5, but the duration is 6" in alert.inner_text()
    screenshot(page, "records", "external-training-error")

    page.get_by_label("Direct Service Skills (DSS)").fill("2")
    page.get_by_role("button", name="Add training").click()
    page.wait_for_url("**/records/*-*/")
    assert page.get_by_role("heading", name="Circle of Security Parenting").is_visible()
    assert page.get_by_text("Self-reported").first.is_visible()
    record = ExternalTraining.objects.get()
    screenshot(page, "records", "external-training-detail")

    page.goto("/records/rsc/log/")
    page.get_by_label("Session date").fill("2024-02-01")
    page.get_by_label("Duration (clock hours)").fill("1.5")
    page.get_by_label("Individual").check()
    page.get_by_label("Supervisor/consultant name").fill("Sam Supervisor")
    page.get_by_label("Supervisor/consultant e-mail").fill("sam@example.org")
    page.get_by_role("button", name="Log session and ask for co-signature").click()
    assert page.get_by_text("Awaiting co-signature").is_visible()

    page.goto("/records/")
    assert page.get_by_role("link", name="Circle of Security Parenting").is_visible()
    assert page.get_by_text("Awaiting co-signature").is_visible()
    screenshot(page, "records", "my-records")

    page.goto(f"/verify/{record.verification_id}/")
    assert page.get_by_role("status").filter(has_text="Valid").is_visible()
    assert page.get_by_text("Lee Parker").is_visible()
    screenshot(page, "records", "verification-page")

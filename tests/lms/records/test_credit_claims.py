"""Claiming the credit a record earned, and withdrawing the claim: refusals with clear
messages, one claim however many submits, the record page's Credits section."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lms.accounts.models import ProfessionalLicense
from lms.records.credit_facts import CreditOutcome
from lms.records.models import CreditClaim, RecordCredit, RecordEvent
from lms.records.services.amendments import revoke_record
from lms.records.services.credits import claim_credit, withdraw_claim
from tests.courses.credit_helpers import registry_hours, social_work_ce
from tests.factories import UserFactory
from tests.lms.records.factories import issue

REASON = "Your best post-test score was 75%; Social work CE needs 80%."


def issued_with_credits(org, learner=None, *, sw_earned=True):
    sw, registry = social_work_ce(org), registry_hours(org)
    record = issue(
        learner,
        provider_organization=org,
        credits=[
            CreditOutcome(
                kind_id=sw.pk,
                amount=Decimal("3"),
                category="ethics",
                earned=sw_earned,
                not_earned_reason="" if sw_earned else REASON,
                best_score_percent=Decimal("75") if not sw_earned else Decimal("90"),
            ),
            CreditOutcome(
                kind_id=registry.pk, amount=Decimal("3"), category="general", earned=True
            ),
        ],
    )
    credits = {c.kind_id: c for c in RecordCredit.objects.filter(record=record)}
    return record, credits[sw.pk], credits[registry.pk]


def test_claim_withdraw_and_claim_again_keep_one_row(great_lakes):
    learner = UserFactory()
    record, _sw, registry = issued_with_credits(great_lakes, learner)
    claim = claim_credit(learner=learner, credit=registry)
    assert claim.is_active and claim.license_number == ""
    assert claim_credit(learner=learner, credit=registry).pk == claim.pk
    withdrawn = withdraw_claim(learner=learner, credit=registry)
    assert withdrawn.withdrawn_at is not None
    assert withdraw_claim(learner=learner, credit=registry) is None
    again = claim_credit(learner=learner, credit=registry)
    assert again.pk == claim.pk and again.is_active
    assert CreditClaim.objects.count() == 1
    kinds = list(RecordEvent.objects.filter(record=record).values_list("kind", flat=True))
    assert kinds == ["issued", "credit_claimed", "credit_withdrawn", "credit_claimed"]


def test_a_kind_needing_a_license_takes_the_number_and_keeps_it_in_the_profile(great_lakes):
    learner = UserFactory()
    _record, sw, _registry = issued_with_credits(great_lakes, learner)
    with pytest.raises(ValidationError) as refused:
        claim_credit(learner=learner, credit=sw, license_number="  ")
    assert refused.value.message_dict == {
        "license_number": ["Enter your license number to claim Social work CE."]
    }
    assert not CreditClaim.objects.exists()
    claim = claim_credit(
        learner=learner, credit=sw, license_number=" LMSW-6801", license_jurisdiction="Michigan"
    )
    assert (claim.license_number, claim.license_jurisdiction) == ("LMSW-6801", "Michigan")
    held = ProfessionalLicense.objects.get(user=learner)
    assert (held.profession, held.number) == ("social_work", "LMSW-6801")
    # A new number on an active claim changes it; the profile follows.
    claim_credit(learner=learner, credit=sw, license_number="LMSW-7000")
    assert CreditClaim.objects.get().license_number == "LMSW-7000"
    assert ProfessionalLicense.objects.get(user=learner).number == "LMSW-7000"


def test_refusals_change_nothing(great_lakes):
    learner, stranger = UserFactory(), UserFactory()
    record, sw, registry = issued_with_credits(great_lakes, learner, sw_earned=False)
    with pytest.raises(ValidationError) as not_earned:
        claim_credit(learner=learner, credit=sw, license_number="LMSW-1")
    assert not_earned.value.messages == [
        f"You did not earn Social work CE on this record: {REASON}"
    ]
    with pytest.raises(ValidationError) as not_theirs:
        claim_credit(learner=stranger, credit=registry)
    assert not_theirs.value.messages == ["This credit is not on one of your records."]
    with pytest.raises(ValidationError):
        withdraw_claim(learner=stranger, credit=registry)
    revoke_record(record=record, by=UserFactory(is_superuser=True), reason="Issued in error")
    with pytest.raises(ValidationError) as revoked:
        claim_credit(learner=learner, credit=registry)
    assert revoked.value.messages == ["This record was revoked: its credit cannot be claimed."]
    assert not CreditClaim.objects.exists()
    assert not ProfessionalLicense.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_racing_claims_make_one_claim(framework):
    from tests.conftest import ensure_default_site
    from tests.courses.factories import association

    ensure_default_site()
    org = association("great-lakes", name="Great Lakes Association")
    learner = UserFactory()
    _record, _sw, registry = issued_with_credits(org, learner)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def claim():
        try:
            barrier.wait(timeout=10)
            results.append(claim_credit(learner=learner, credit=registry).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(results)) == 1 and CreditClaim.objects.count() == 1
    assert RecordEvent.objects.filter(kind="credit_claimed").count() == 1


def test_the_record_page_lists_credits_and_claims_by_post(client, great_lakes):
    learner = UserFactory()
    record, sw, registry = issued_with_credits(great_lakes, learner, sw_earned=False)
    ProfessionalLicense.objects.create(user=learner, profession="social_work", number="LMSW-9")
    client.force_login(learner)
    page = f"/records/{record.verification_id}/"
    html = client.get(page).content.decode()
    assert "Continuing-education credit" in html and REASON in html
    assert "Claim Registry hours" in html and "Claim Social work CE" not in html

    claim_url = f"/records/credits/{registry.verification_id}/claim/"
    assert client.get(claim_url).status_code == 405
    response = client.post(claim_url)
    assert response.status_code == 302 and response["Location"] == page + "#credits"
    html = client.get(page).content.decode()
    assert "You claimed Registry hours." in html and "Withdraw my claim of Registry hours" in html

    # A credit not earned: a clear message, nothing written.
    response = client.post(f"/records/credits/{sw.verification_id}/claim/", follow=True)
    assert "You did not earn Social work CE" in response.content.decode()
    assert CreditClaim.objects.count() == 1

    client.post(f"/records/credits/{registry.verification_id}/withdraw/")
    assert CreditClaim.objects.get().withdrawn_at is not None

    # Someone else's credit is not found.
    client.force_login(UserFactory())
    assert client.post(claim_url).status_code == 404
    assert client.post(f"/records/credits/{registry.verification_id}/withdraw/").status_code == 404
    assert CreditClaim.objects.get().withdrawn_at is not None


def test_erasure_blanks_claim_license_numbers_and_keeps_the_credit(great_lakes):
    from lms.accounts.erasure import process_erasure, request_erasure

    learner = UserFactory()
    _record, sw, _registry = issued_with_credits(great_lakes, learner)
    claim_credit(learner=learner, credit=sw, license_number="LMSW-1", license_jurisdiction="Ohio")
    process_erasure(
        erasure_request=request_erasure(user=learner), processed_by=UserFactory(is_superuser=True)
    )
    claim = CreditClaim.objects.get()
    assert (claim.license_number, claim.license_jurisdiction) == ("", "")
    assert claim.is_active and RecordCredit.objects.count() == 2
    assert not ProfessionalLicense.objects.exists()

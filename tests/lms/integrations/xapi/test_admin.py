"""The learning record store screen in Wagtail's admin: an association's administrators
set their own store only, the secret is stored encrypted and never shown back, a bad URL
is refused with nothing saved, and "Test the connection" talks to the real LRS."""

import pytest
from django.urls import reverse

from lms.audit.models import AuditEvent
from lms.integrations.xapi import secrets
from lms.integrations.xapi.models import LearningRecordStore
from tests.lms.endorsement.applying import admin_of

from .ralph import PASSWORD, USERNAME


@pytest.fixture(autouse=True)
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True


def form(endpoint, **fields):
    return {
        "action": "save",
        "endpoint": endpoint,
        "key": USERNAME,
        "secret": PASSWORD,
        "version": "1.0.3",
        "is_active": "on",
        **fields,
    }


def test_an_admin_sets_their_store_and_the_secret_is_never_shown(client, great_lakes, ralph):
    client.force_login(admin_of(great_lakes))
    url = reverse("integrations_admin:xapi_store", args=[great_lakes.pk])
    response = client.post(url, form(ralph.endpoint))
    assert response.status_code == 302
    store = LearningRecordStore.objects.get(association=great_lakes)
    assert store.is_active and store.key == USERNAME
    assert PASSWORD not in store.secret_encrypted
    assert secrets.decrypt(store.secret_encrypted) == PASSWORD
    page = client.get(url)
    html = page.content.decode()
    assert PASSWORD not in html and ralph.endpoint in html
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    event = AuditEvent.objects.get(action="lrs_configured")
    assert event.organization_id == great_lakes.pk and PASSWORD not in str(event.details)

    # Saving again without a secret keeps the stored one.
    assert client.post(url, form(ralph.endpoint, secret="")).status_code == 302
    store.refresh_from_db()
    assert secrets.decrypt(store.secret_encrypted) == PASSWORD

    # "Test the connection" talks to Ralph with the stored credentials.
    checked = client.post(url, {"action": "test"}).content.decode()
    assert "Connected" in checked and PASSWORD not in checked
    store.secret_encrypted = secrets.encrypt("not-the-secret")
    store.save()
    refused = client.post(url, {"action": "test"}).content.decode()
    assert "refused the key and secret" in refused


@pytest.mark.parametrize(
    "endpoint",
    ["ftp://lrs.example.org/xAPI/", "http://lrs.example.org/xAPI/", "https://10.0.0.5/xAPI/",
     "https://user:pw@lrs.example.org/xAPI/", "not a url"],
)  # fmt: skip
def test_a_bad_endpoint_is_refused_and_nothing_saved(client, great_lakes, endpoint):
    client.force_login(admin_of(great_lakes))
    url = reverse("integrations_admin:xapi_store", args=[great_lakes.pk])
    response = client.post(url, form(endpoint))
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not LearningRecordStore.objects.exists()
    assert not AuditEvent.objects.filter(action="lrs_configured").exists()


def test_a_store_is_its_own_associations_only(client, great_lakes, prairie, ralph):
    theirs = LearningRecordStore.objects.create(
        association=prairie, endpoint="https://lrs.prairie.example/xAPI/", key="prairie-key"
    )
    client.force_login(admin_of(great_lakes))
    other = reverse("integrations_admin:xapi_store", args=[prairie.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, form(ralph.endpoint)).status_code == 404
    assert client.post(other, {"action": "test"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.endpoint == "https://lrs.prairie.example/xAPI/" and not theirs.is_active
    listing = client.get(reverse("integrations_admin:xapi_stores")).content.decode()
    assert great_lakes.name in listing and prairie.name not in listing
    # Learners and editors have no such screen.
    client.force_login(admin_of(great_lakes).__class__.objects.create_user(email="x@example.org"))
    assert client.get(reverse("integrations_admin:xapi_stores")).status_code in (302, 403)

"""The e-mail saying an endpoint was switched off after failing reaches each administrator in
the language they chose on their profile (English for those who chose none)."""

import pytest
from django.utils import translation

from lms.accounts.services import set_preferred_language
from lms.integrations import endpoint_health
from tests.factories import OrganizationFactory
from tests.lms.endorsement.applying import admin_of
from tests.lms.integrations.test_webhook_queue import dead_endpoint


@pytest.fixture
def loopback(settings):
    settings.ATTUNE_WEBHOOK_ALLOW_LOOPBACK = True


def test_each_admin_is_told_in_their_own_language(framework, loopback, monkeypatch):
    lakes = OrganizationFactory()
    endpoint, _secret, _port = dead_endpoint(lakes)
    spanish, english = admin_of(lakes), admin_of(lakes)
    set_preferred_language(user=spanish, language="es")
    sent = []

    def record(**message):
        sent.append((translation.get_language(), set(message["to"])))

    monkeypatch.setattr(endpoint_health, "send_branded_mail_on_commit", record)
    endpoint_health._tell_admins(endpoint)
    languages = dict(sent)
    assert set(languages) == {"en", "es"}
    assert languages["es"] == {spanish.email}
    assert english.email in languages["en"] and spanish.email not in languages["en"]

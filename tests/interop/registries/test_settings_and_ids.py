"""An association's registries (its administrators set them), a training's event ID (its
editors), and a learner's own registry IDs (checked against the registry's format)."""

import pytest
from django.test import Client
from django.urls import reverse

from interop.registries.models import AssociationRegistry, LearnerRegistryId
from lms.organizations.models import Role
from tests.courses.factories import member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/admin/registries/settings/"
MINE = "/registries/mine/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_sets_sponsor_ids_for_their_association_only(great_lakes, prairie):
    admin = member(great_lakes, Role.ADMIN)
    client = signed_in(admin)
    assert client.get(SETTINGS).status_code == 200
    saved = client.post(
        SETTINGS, {"association": "great-lakes", "state-generic": " GL-7 ", "sponsor-numeric": ""}
    )
    assert saved.status_code == 302
    assert list(
        AssociationRegistry.objects.values_list("association__slug", "registry", "sponsor_id")
    ) == [("great-lakes", "state-generic", "GL-7")]
    # Prairie's settings are not Great Lakes' admin's: 404, nothing changed.
    assert (
        client.post(SETTINGS, {"association": "prairie", "state-generic": "X"}).status_code == 404
    )
    assert AssociationRegistry.objects.count() == 1
    # An editor may not set them (Wagtail's admin refuses with a redirect to its dashboard).
    editor = signed_in(member(great_lakes, Role.EDITOR))
    refused = editor.post(SETTINGS, {"association": "great-lakes", "state-generic": "Y"})
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert AssociationRegistry.objects.get().sponsor_id == "GL-7"


def test_learner_saves_a_valid_id_and_a_bad_one_is_refused_with_a_message():
    learner = UserFactory()
    client = signed_in(learner)
    page = client.get(MINE)
    assert page.status_code == 200 and "My registry IDs" in page.content.decode()

    refused = client.post(MINE, {"state-generic": "MI-123456", "sponsor-numeric": "12AB"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "This is not a Member number of Sponsor roster with numeric member IDs" in text
    assert "For example: 20481632." in text
    assert not LearnerRegistryId.objects.exists()  # one wrong ID: nothing saved

    saved = client.post(MINE, {"state-generic": " MI-123456 ", "sponsor-numeric": "20481632"})
    assert saved.status_code == 302
    assert dict(LearnerRegistryId.objects.values_list("registry", "registry_id")) == {
        "state-generic": "MI-123456",
        "sponsor-numeric": "20481632",
    }
    # Blank removes one.
    client.post(MINE, {"state-generic": "MI-123456", "sponsor-numeric": ""})
    assert list(LearnerRegistryId.objects.values_list("registry", flat=True)) == ["state-generic"]


def test_ids_are_only_ones_own(great_lakes):
    owner, other = UserFactory(), UserFactory()
    LearnerRegistryId.objects.create(
        learner=owner, registry="state-generic", registry_id="MI-999999"
    )
    assert "MI-999999" in signed_in(owner).get(MINE).content.decode()
    assert "MI-999999" not in signed_in(other).get(MINE).content.decode()
    assert Client().get(MINE).status_code == 302  # anonymous: sign in first


def test_profile_links_to_registry_ids():
    page = signed_in(UserFactory()).get(reverse("accounts:profile"))
    assert MINE in page.content.decode()

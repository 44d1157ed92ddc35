"""A learner's caption preference on the profile page: shown, saved, checked, read by the
player's hook, exported with their data and cleared by erasure."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from lms.accounts.erasure import _export_profile
from lms.accounts.models import LearnerProfile
from lms.accounts.selectors import caption_preferences
from tests.factories import UserFactory

NAME = {"first_name": "Alex", "last_name": "Rivera", "time_zone": "UTC"}


def test_the_profile_page_offers_the_caption_preference(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Turn captions on when a video starts" in html
    assert "Caption language" in html and '<option value="es">Spanish</option>' in html


def test_saving_the_preference_and_refusing_an_unknown_language(client, db):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:profile")
    bad = client.post(url, {**NAME, "captions_on": "on", "caption_language": "xx-evil"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert not LearnerProfile.objects.filter(user=user, captions_on=True).exists()

    good = client.post(url, {**NAME, "captions_on": "on", "caption_language": "es"})
    assert good.status_code == 302
    profile = LearnerProfile.objects.get(user=user)
    assert profile.captions_on is True and profile.caption_language == "es"
    user = type(user).objects.get(pk=user.pk)
    assert caption_preferences(user=user) == {"captions": True, "language": "es"}

    # Unticked: off again; the language may follow the site's.
    client.post(url, {**NAME, "caption_language": ""})
    user = type(user).objects.get(pk=user.pk)
    assert caption_preferences(user=user) == {"captions": False, "language": ""}


def test_anonymous_viewers_and_people_without_a_profile_have_no_preference(db):
    assert caption_preferences(user=AnonymousUser()) == {}
    assert caption_preferences(user=UserFactory()) == {}


def test_the_preference_is_read_once_per_request(db, django_assert_num_queries):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, captions_on=True, caption_language="vi")
    with django_assert_num_queries(1):
        for _ in range(3):
            assert caption_preferences(user=user)["language"] == "vi"


def test_the_preference_is_part_of_the_learners_data(db):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, captions_on=True, caption_language="es")
    profile = _export_profile(user=user)["profile"]
    assert profile["captions_on"] is True and profile["caption_language"] == "es"

"""A learner's language preference: on the profile page, and read by one selector (once,
then from the cache until the profile changes)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.accounts.models import LearnerProfile
from lms.accounts.selectors import preferred_language
from lms.accounts.services import set_preferred_language
from tests.factories import UserFactory


def _profile_form(**overrides):
    return {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "time_zone": "UTC",
        "caption_language": "",
        "language": "es",
        **overrides,
    }


def test_the_profile_page_offers_each_language_in_its_own_name(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="language"' in html
    assert ">English</option>" in html and ">Español</option>" in html
    assert "No preference: follow my browser" in html


def test_the_profile_page_keeps_the_preference(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), _profile_form())
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=user).language == "es"
    assert preferred_language(user=user) == "es"
    response = client.post(reverse("accounts:profile"), _profile_form(language="fr"))
    assert response.status_code == 200
    assert LearnerProfile.objects.get(user=user).language == "es"


def test_nobody_and_a_person_without_a_profile_prefer_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert preferred_language(user=AnonymousUser()) == ""
    assert preferred_language(user=None) == ""
    assert preferred_language(user=UserFactory()) == ""


def test_the_preference_is_read_once_then_from_the_cache(db, django_assert_num_queries):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="es")
    with django_assert_num_queries(1):
        assert preferred_language(user=user) == "es"
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        assert preferred_language(user=fresh) == "es"


def test_a_changed_preference_counts_from_the_next_request(db):
    user = UserFactory()
    set_preferred_language(user=user, language="es")
    assert preferred_language(user=type(user).objects.get(pk=user.pk)) == "es"
    set_preferred_language(user=user, language="en")
    assert preferred_language(user=type(user).objects.get(pk=user.pk)) == "en"
    LearnerProfile.objects.filter(user=user).delete()
    assert preferred_language(user=type(user).objects.get(pk=user.pk)) == ""


def test_a_language_attune_does_not_speak_is_refused(db):
    user = UserFactory()
    with pytest.raises(ValidationError):
        set_preferred_language(user=user, language="fr")
    assert not LearnerProfile.objects.filter(user=user).exclude(language="").exists()


def test_the_preference_is_part_of_the_learners_data(db):
    from lms.accounts.erasure import _export_profile

    user = UserFactory()
    LearnerProfile.objects.create(user=user, language="es")
    assert _export_profile(user=user)["profile"]["language"] == "es"

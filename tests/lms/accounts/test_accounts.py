import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.accounts.models import LearnerProfile, User
from tests.factories import UserFactory


def test_email_is_the_login_and_is_unique_ignoring_case(db):
    User.objects.create_user(email="Ana@Example.org", password="x-long-password")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="ana@example.org", password="x-long-password")
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User(), "username") or User().username is None


def test_sign_up_creates_user_and_profile_with_certificate_name(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a-Strong-passphrase-42",
            "password2": "a-Strong-passphrase-42",
            "first_name": "Ada",
            "last_name": "Lovelace",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.person@example.org")
    assert user.get_full_name() == "Ada Lovelace"
    assert LearnerProfile.objects.filter(user=user).exists()


def test_sign_up_rejects_a_weak_password_and_creates_nothing(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "weak@example.org",
            "password1": "12345678",
            "password2": "12345678",
            "first_name": "W",
            "last_name": "P",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="weak@example.org").exists()


def test_login_with_email(client, db):
    UserFactory(email="login@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "LOGIN@example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_reset_sends_an_email(client, db):
    UserFactory(email="forgot@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "forgot@example.org" in mail.outbox[0].to


def test_profile_requires_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_profile_saves_fields_and_rejects_a_bad_time_zone(client, db, framework):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:profile")
    bad = client.post(url, {"first_name": "A", "last_name": "B", "time_zone": "Mars/Base"})
    assert bad.status_code == 200
    assert not LearnerProfile.objects.filter(user=user, time_zone="Mars/Base").exists()

    from lms.competencies.models import EndorsementCategory

    ifs = EndorsementCategory.objects.get(code="IFS")
    good = client.post(
        url,
        {
            "first_name": "Alex",
            "last_name": "Rivera",
            "discipline": "home_visiting",
            "job_role": "Home visitor",
            "work_setting": "home_visiting_program",
            "state": "MI",
            "target_category": ifs.pk,
            "time_zone": "America/Detroit",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.get_full_name() == "Alex Rivera"
    assert user.profile.target_category == ifs
    assert user.profile.time_zone == "America/Detroit"

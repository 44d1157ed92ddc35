"""Signing in safely: failed-login lockout, password rules, an optional authenticator-app
second factor, and short sessions for staff."""

import types

import pytest
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from lms.accounts.models import User
from lms.organizations.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
LOCKED = "Too many failed login attempts"


class Clock:
    """Stands in for the ``time`` module inside one allauth module, so that a test can move
    its clock forward instead of waiting."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def tick(self):
        # Every reading is a little later, as on a real clock (allauth tells attempts apart
        # by their time).
        self.now += 0.001
        return self.now

    def module(self):
        return types.SimpleNamespace(time=self.tick, monotonic=self.tick, sleep=lambda _: None)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Failed-login counts and used codes live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit, "time", clock.module())
    monkeypatch.setattr(totp, "time", clock.module())
    return clock


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_failed_logins_lock_the_account_until_the_window_passes(client, clock):
    user = UserFactory()
    for _ in range(5):
        response = sign_in(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert not signed_in(client)
    refused = sign_in(client, user.email)  # the right password, too late
    assert LOCKED in refused.content.decode()
    assert not signed_in(client)

    clock.now += 15 * 60 + 1
    assert sign_in(client, user.email).status_code == 302
    assert signed_in(client)


def test_lockout_is_per_account(client, clock):
    attacked, other = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, attacked.email, "wrong-password")
    assert LOCKED in sign_in(client, attacked.email).content.decode()
    assert sign_in(client, other.email).status_code == 302


def test_successful_sign_in_does_not_reset_the_count(client, clock):
    """An attacker who also knows one good password cannot use it to keep guessing."""
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.email, "wrong-password")
    assert sign_in(client, user.email).status_code == 302
    client.logout()
    sign_in(client, user.email, "wrong-password")
    assert LOCKED in sign_in(client, user.email).content.decode()


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/"])
def test_wagtail_login_forms_send_people_to_the_protected_sign_in(client, path):
    response = client.get(path, {"next": "/admin/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    # Unauthenticated admin pages lead there too.
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
    # And a POST with credentials to the old form signs nobody in.
    user = UserFactory()
    client.post(path, {"username": user.email, "password": PASSWORD})
    assert not signed_in(client)


@pytest.mark.parametrize(
    "weak", ["short1", "password123", "12345678901", "ana.lopez.example"], ids=str
)
def test_signup_refuses_weak_passwords(client, weak):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana.lopez@example.org",
            "password1": weak,
            "password2": weak,
            "first_name": "Ana",
            "last_name": "Lopez",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="ana.lopez@example.org").exists()
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()


def test_password_change_refuses_a_weak_password(client):
    user = UserFactory()
    sign_in(client, user.email)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    strong = "a-rather-long-kitchen-phrase"
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": strong, "password2": strong},
    )
    user.refresh_from_db()
    assert user.check_password(strong)


def current_code(secret, clock) -> str:
    counter = int(clock.now) // 30  # the clock starts on a period's first second
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def test_staff_enroll_an_authenticator_and_then_need_its_code(client, clock):
    editor = MembershipFactory(role=Role.EDITOR).user
    sign_in(client, editor.email)
    # Adding a factor asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for manual entry beside the QR code
    refused = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert refused.status_code == 200
    assert not Authenticator.objects.filter(user=editor).exists()
    client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret, clock)})
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()

    client.logout()
    clock.now += 60
    response = sign_in(client, editor.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert not signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret, clock)})
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_the_profile_offers_the_second_factor(client):
    user = UserFactory()
    sign_in(client, user.email)
    assert "/accounts/2fa/" in client.get("/account/profile/").content.decode()


def session_age(client) -> int:
    return client.session.get_expiry_age()


@pytest.mark.parametrize(
    ("role", "short"),
    [
        (Role.ADMIN, True),
        (Role.EDITOR, True),
        (Role.REVIEWER, True),
        (Role.FACILITATOR, True),
        (Role.MANAGER, True),
        (Role.STAFF, False),
        (None, False),
    ],
)
def test_staff_sessions_are_short(client, role, short):
    user = MembershipFactory(role=role).user if role else UserFactory()
    response = sign_in(client, user.email)
    idle = settings.ATTUNE_STAFF_SESSION_IDLE_SECONDS
    expected = idle if short else settings.SESSION_COOKIE_AGE
    assert session_age(client) == expected
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    if short:
        assert cookie["max-age"] == idle


def test_a_staff_session_moves_its_expiry_while_in_use(client, monkeypatch):
    from lms.accounts import middleware

    user = MembershipFactory(role=Role.ADMIN).user
    sign_in(client, user.email)
    first = client.session[middleware.STAFF_SESSION_KEY]
    later = types.SimpleNamespace(time=lambda: first + middleware.REFRESH_SECONDS + 5)
    monkeypatch.setattr(middleware, "time", later)
    client.get("/account/profile/")
    assert client.session[middleware.STAFF_SESSION_KEY] == first + middleware.REFRESH_SECONDS + 5
    assert session_age(client) == settings.ATTUNE_STAFF_SESSION_IDLE_SECONDS

"""Single sign-on at the protocol level: a site's sign-in goes to the platform and comes back
with a code the site exchanges for a signed ID token; a wrong state, a code used twice or an
altered ID token signs nobody in, and ``?next=`` never leaves Attune's hosts.

The site's server talks to the platform over HTTP; here the requests library is pointed at
Django's test client playing the platform, so no server is needed."""

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from tests.courses.factories import association
from tests.factories import UserFactory

SITE = "great-lakes.localhost"
PLATFORM = "testserver"


class PlatformSession(requests.Session):
    """requests, answered by the platform through Django's test client; can alter the
    token endpoint's answer."""

    alter_token = None

    def request(self, method, url, data=None, headers=None, **kwargs):
        parts = urlsplit(url)
        assert parts.netloc == PLATFORM, url
        client = Client(HTTP_HOST=PLATFORM)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if method.upper() == "POST":
            answer = client.post(path, data or {}, **extra)
        else:
            answer = client.get(path, kwargs.get("params") or {}, **extra)
        body = answer.content
        if self.alter_token and parts.path.endswith("/token"):
            body = json.dumps(self.alter_token(json.loads(body))).encode()
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = body
        response.headers.update(dict(answer.items()))
        response.url = url
        return response


@pytest.fixture
def platform(monkeypatch):
    session = PlatformSession()
    monkeypatch.setattr(
        "allauth.socialaccount.adapter.DefaultSocialAccountAdapter.get_requests_session",
        lambda self: session,
    )
    return session


@pytest.fixture
def learner(framework):
    association("great-lakes", name="Great Lakes Association")
    return UserFactory(email="lee@example.org")


def authorize(browser: Client, platform_browser: Client, next_url="/catalog/"):
    """The site sends the browser to the platform; the platform (signed in) answers with a
    code for the site's callback. Returns the callback URL."""
    to_platform = start(browser, next_url)
    assert urlsplit(to_platform).netloc == PLATFORM
    answer = platform_browser.get(to_platform.split(PLATFORM, 1)[1])
    assert answer.status_code == 302, answer
    callback = answer["Location"]
    assert urlsplit(callback).netloc == SITE
    return callback


def start(browser: Client, next_url: str) -> str:
    """The site's "Sign in" with ``next_url``: where it sends the browser."""
    login = browser.get("/accounts/login/", {"next": next_url}, HTTP_HOST=SITE)
    assert login.status_code == 302
    answer = browser.get(login["Location"], HTTP_HOST=SITE)
    assert answer.status_code == 302
    return answer["Location"]


def site_user(browser: Client):
    return browser.get("/account/profile/", HTTP_HOST=SITE).status_code == 200


def signed_in_browsers(learner):
    browser = Client()
    platform_browser = Client(HTTP_HOST=PLATFORM)
    platform_browser.force_login(learner)
    return browser, platform_browser


def callback_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.django_db
def test_a_site_signs_in_through_the_platform(learner, platform):
    browser, platform_browser = signed_in_browsers(learner)
    callback = authorize(browser, platform_browser)
    answer = browser.get(callback_path(callback), HTTP_HOST=SITE)
    assert answer.status_code == 302 and answer["Location"] == "/catalog/"
    assert site_user(browser)


@pytest.mark.django_db
def test_a_wrong_state_signs_nobody_in(learner, platform):
    browser, platform_browser = signed_in_browsers(learner)
    callback = authorize(browser, platform_browser)
    query = parse_qs(urlsplit(callback).query)
    forged = f"{urlsplit(callback).path}?code={query['code'][0]}&state=forged"
    assert browser.get(forged, HTTP_HOST=SITE).status_code in (400, 401)
    assert not site_user(browser)
    # Another browser (the attacker's) presenting the victim's callback: no state there.
    other = Client()
    other.get(callback_path(callback), HTTP_HOST=SITE)
    assert not site_user(other)


@pytest.mark.django_db
def test_a_code_used_twice_signs_nobody_in(learner, platform):
    browser, platform_browser = signed_in_browsers(learner)
    callback = authorize(browser, platform_browser)
    assert browser.get(callback_path(callback), HTTP_HOST=SITE).status_code == 302
    assert site_user(browser)
    # Replayed in a browser that started its own sign-in (so it has a state of its own).
    replayer = Client()
    own = authorize(replayer, platform_browser)
    replay = (
        urlsplit(callback).path
        + "?"
        + urlsplit(callback).query.replace(
            parse_qs(urlsplit(callback).query)["state"][0],
            parse_qs(urlsplit(own).query)["state"][0],
        )
    )
    replayer.get(replay, HTTP_HOST=SITE)
    assert not site_user(replayer)


def _tamper(token: str, **claims) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


@pytest.mark.django_db
def test_an_altered_id_token_signs_nobody_in(learner, platform):
    other = UserFactory(email="someone-else@example.org")
    browser, platform_browser = signed_in_browsers(learner)
    platform.alter_token = lambda body: {
        **body,
        "id_token": _tamper(body["id_token"], sub=str(other.pk)),
    }
    callback = authorize(browser, platform_browser)
    answer = browser.get(callback_path(callback), HTTP_HOST=SITE)
    assert answer.status_code == 401  # allauth's "authentication failed": bad signature
    assert not site_user(browser)


@pytest.mark.django_db
def test_an_id_token_without_our_nonce_signs_nobody_in(learner, platform):
    browser, platform_browser = signed_in_browsers(learner)
    callback = authorize(browser, platform_browser)
    # The state in the session now expects a nonce the platform's token will not carry.
    session = browser.session
    states = session["socialaccount_states"]
    for state_id, (state, *rest) in states.items():
        states[state_id] = [{**state, "nonce": "not-the-one-sent"}, *rest]
    session["socialaccount_states"] = states
    session.save()
    assert browser.get(callback_path(callback), HTTP_HOST=SITE).status_code == 400
    assert not site_user(browser)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http://evil.example:8000/x"]
)
def test_next_never_leaves_our_hosts(learner, platform, next_url):
    browser, platform_browser = signed_in_browsers(learner)
    to_platform = start(browser, next_url)
    answer = platform_browser.get(to_platform.split(PLATFORM, 1)[1])
    landed = browser.get(callback_path(answer["Location"]), HTTP_HOST=SITE)
    assert landed["Location"] == "/"
    # The platform's own sign-in refuses it too.
    form = Client().post(
        f"/accounts/login/?next={next_url}",
        {"login": learner.email, "password": "correct-horse-battery"},
    )
    assert "evil.example" not in form["Location"]


@pytest.mark.django_db
def test_next_may_go_to_another_of_our_sites(learner):
    association("prairie", name="Prairie Association")
    form = Client().post(
        "/accounts/login/?next=http://prairie.localhost/catalog/",
        {"login": learner.email, "password": "correct-horse-battery"},
    )
    assert form["Location"] == "http://prairie.localhost/catalog/"


@pytest.mark.django_db
def test_signing_out_ends_every_session(learner):
    elsewhere = Client()
    elsewhere.force_login(learner)
    here = Client()
    here.force_login(learner)
    here.post("/accounts/logout/")
    assert elsewhere.get("/account/profile/").status_code == 302

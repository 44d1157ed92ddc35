"""The per-key request limit, on the per-process memory cache and on the shared Redis cache
production uses (the real server: REDIS_URL, or the local one on 6379)."""

import os
import socket

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from courses import ratelimit

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


BACKENDS = [
    pytest.param({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, id="memory"),
    pytest.param(
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": f"attune-test-ratelimit-{os.environ.get('PYTEST_XDIST_WORKER', '')}"},
        id="redis",
        marks=pytest.mark.skipif(
            not redis_answers() and not os.environ.get("ATTUNE_CI"),
            reason="no Redis server here (CI always has one)",
        ),
    ),
]  # fmt: skip


@pytest.fixture(params=BACKENDS)
def cache_backend(request, settings):
    settings.CACHES = {"default": request.param}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_allows_up_to_the_limit_per_key_and_window(cache_backend):
    assert [ratelimit.allow(key="a", limit=3, window=60) for _ in range(5)] == [
        True, True, True, False, False,
    ]  # fmt: skip
    assert ratelimit.allow(key="b", limit=3, window=60)


def test_a_new_window_starts_a_new_count(cache_backend, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert [ratelimit.allow(key="a", limit=1, window=10) for _ in range(2)] == [True, False]
    now[0] += 10
    assert ratelimit.allow(key="a", limit=1, window=10)


def test_on_redis_the_count_expires_with_its_window(cache_backend):
    if not isinstance(cache_backend, RedisCache):
        pytest.skip("the memory cache keeps Django's own timeouts")
    ratelimit.allow(key="a", limit=5, window=30)
    client = cache_backend._cache.get_client("")
    [key] = client.keys(cache_backend.make_and_validate_key("attune:limit:a:*"))
    assert 0 < client.ttl(key) <= 31
